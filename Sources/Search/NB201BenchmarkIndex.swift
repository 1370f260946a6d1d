import Common
import Foundation

/// Maps NB201 cells to their benchmark index and back, read from the ground-truth CSV.
///
/// The benchmark's index order is whatever the CSV rows are in (rows 0…15624); no formula is assumed,
/// so accuracies, proxies and evaluations keyed by index all agree with the file they came from.
public struct NB201BenchmarkIndex: Sendable {
  /// Cells in benchmark index order.
  public let encodings: [Encoding]
  private let indexByEncoding: [Encoding: Int]

  /// The name of the column holding `|op~0|+|…|` strings.
  public static let architectureColumn = "ArchitectureString"

  /// Reads the CSV's header and `ArchitectureString` column. Errors (`badFile` naming the path): missing
  /// or unreadable file, no header, no such column, a row with too few fields or an unparsable arch
  /// (with its 1-based line number), an arch that repeats an earlier row.
  public init(csvPath: String, space: NB201Space = NB201Space()) throws {
    guard FileManager.default.fileExists(atPath: csvPath) else {
      throw RDNASError.badFile(path: csvPath, reason: "file not found")
    }
    let text: String
    do {
      text = try String(contentsOfFile: csvPath, encoding: .utf8)
    } catch {
      throw RDNASError.badFile(path: csvPath, reason: "cannot read as UTF-8 text (\(error.localizedDescription))")
    }
    try self.init(csvText: text, path: csvPath, space: space)
  }

  /// Same as `init(csvPath:)` for text already in memory; `path` is only used in messages.
  public init(csvText: String, path: String, space: NB201Space = NB201Space()) throws {
    func fail(_ why: String) -> RDNASError { .badFile(path: path, reason: why) }
    // "\r\n" is a single Character in Swift, so split on any newline Character, not on "\n".
    var lines = csvText.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    while let last = lines.last, last.allSatisfy({ $0.isWhitespace }) { lines.removeLast() }
    guard let header = lines.first else { throw fail("empty file: no header line") }
    let names = header.split(separator: ",", omittingEmptySubsequences: false).map { Self.unquote($0) }
    guard let column = names.firstIndex(of: Self.architectureColumn) else {
      throw fail("no '\(Self.architectureColumn)' column in header (\(names.joined(separator: ",")))")
    }
    var encodings = [Encoding]()
    var index = [Encoding: Int]()
    encodings.reserveCapacity(lines.count)
    index.reserveCapacity(lines.count)
    for (i, line) in lines.enumerated().dropFirst() {
      let lineNumber = i + 1
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count > column else {
        throw fail("line \(lineNumber): \(fields.count) field(s), the arch column is field \(column + 1)")
      }
      let e: Encoding
      do {
        e = try space.parse(Self.unquote(fields[column]))
      } catch let err as RDNASError {
        throw fail("line \(lineNumber): \(err.description)")
      }
      if let earlier = index[e] {
        throw fail("line \(lineNumber): arch \(space.format(e)) repeats line \(earlier + 2) (index \(earlier))")
      }
      index[e] = encodings.count
      encodings.append(e)
    }
    self.encodings = encodings
    indexByEncoding = index
  }

  public var count: Int { encodings.count }
  /// True when every one of the 15,625 cells is present (a truncated file still loads, but is not complete).
  public var isComplete: Bool { encodings.count == 15_625 }

  public func index(of e: Encoding) -> Int? { indexByEncoding[e] }

  public func encoding(at i: Int) -> Encoding? { encodings.indices.contains(i) ? encodings[i] : nil }

  private static func unquote(_ field: Substring) -> String {
    var s = field.trimmingCharacters(in: .whitespacesAndNewlines)
    if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
    return s
  }
}
