import Common

/// A minimal RFC 4180 reader: a header and rows of fields, each row with its 1-based line number so errors
/// can point at it. Quoted fields may hold commas, doubled quotes and line breaks; CRLF and a UTF-8 BOM are
/// accepted; blank lines at the end are ignored.
///
/// Kept rather than yaslab/CSV.swift or SwiftCSV (issue 13): both read quoted fields as this does, but their
/// errors carry no line (CSV.swift's is a bare `invalidCSVFormat`), so we would still count lines and check
/// row widths ourselves, which is most of this file; a ground-truth file with a broken row must fail naming
/// its line, not shift columns.
struct CSVRows {
  struct Row {
    var line: Int
    var fields: [String]
  }

  var header: [String]
  var rows: [Row]

  init(text: String, source: String) throws {
    var records = [Row]()
    var fields = [String]()
    var field = [UInt8]()
    var line = 1, recordLine = 1
    var inQuotes = false, quotedField = false
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    var index = 0

    func endField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      quotedField = false
    }
    func endRecord() {
      endField()
      records.append(Row(line: recordLine, fields: fields))
      fields.removeAll(keepingCapacity: true)
    }

    while index < bytes.count {
      let byte = bytes[index]
      if inQuotes {
        if byte == UInt8(ascii: "\"") {
          if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") { field.append(byte); index += 1 } else { inQuotes = false }
        } else {
          if byte == UInt8(ascii: "\n") { line += 1 }
          field.append(byte)
        }
      } else {
        switch byte {
        case UInt8(ascii: ","): endField()
        case UInt8(ascii: "\""):
          guard field.isEmpty && !quotedField else {
            throw RDNASError.badFile(path: source, reason: "line \(line): stray quote inside an unquoted field")
          }
          inQuotes = true; quotedField = true
        case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"): break
        case UInt8(ascii: "\n"):
          endRecord(); line += 1; recordLine = line
        default: field.append(byte)
        }
      }
      index += 1
    }
    if inQuotes { throw RDNASError.badFile(path: source, reason: "line \(recordLine): quoted field never closed") }
    if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
    while let last = records.last, last.fields == [""] { records.removeLast() }

    guard let first = records.first else { throw RDNASError.badFile(path: source, reason: "empty file: no header line") }
    header = first.fields.map { $0.trimmingSpaces }
    rows = Array(records.dropFirst())
    for row in rows where row.fields.count != header.count {
      let what = row.fields == [""] ? "empty line" : "\(row.fields.count) fields, the header has \(header.count)"
      throw RDNASError.badFile(path: source, reason: "line \(row.line): \(what)")
    }
  }

  /// The index of a header column, or a `badFile` listing the columns there are.
  func column(_ name: String, source: String) throws -> Int {
    guard let index = header.firstIndex(of: name) else {
      throw RDNASError.badFile(path: source, reason: "no column '\(name)' (columns: \(header.joined(separator: ", ")))")
    }
    return index
  }
}

extension String {
  var trimmingSpaces: String {
    var scalars = Substring(self)
    while scalars.first == " " || scalars.first == "\t" { scalars.removeFirst() }
    while scalars.last == " " || scalars.last == "\t" { scalars.removeLast() }
    return String(scalars)
  }
}
