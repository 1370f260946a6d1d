import Common

/// A value of the TOML subset themes use.
public enum TomlValue: Equatable, Sendable {
  case string(String)
  case int(Int)
  case bool(Bool)
  case array([TomlValue])
}

/// One `key = value` line, with where it came from for error messages.
public struct TomlEntry: Equatable, Sendable {
  public var section: String
  public var key: String
  public var value: TomlValue
  public var line: Int
  /// `section.key`, or `key` at top level.
  public var path: String { section.isEmpty ? key : "\(section).\(key)" }
}

/// A tiny TOML subset: `[section]`, `key = value` with strings ("…" with \" \\ \n \t escapes, or '…'),
/// integers, booleans and one-line arrays of those, `#` comments and blank lines. Anything else is an
/// error naming `file:line`.
///
/// Why not LebJe/TOMLKit 0.6.0 (tried, issue 13): it makes Int, Double, String, Array and Dictionary conform
/// to its `TOMLValueConvertible` with public members (`type`, `int`, `string`, `array`, `table`, …); linked
/// into the monitor, even from a separate target through `internal import`, those broke type inference in
/// existing monitor code (Heatmap.swift). It also builds toml++ (C++) and reports source positions only for
/// syntax errors, while every check here (unknown key, unknown colour) names its line. Themes need only
/// this subset.
public enum TomlLite {
  public static func parse(_ text: String, file: String) throws -> [TomlEntry] {
    var entries = [TomlEntry](), section = "", seen = Set<String>()
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let lineNo = i + 1
      func fail(_ why: String) -> RDNASError { .badFile(path: "\(file):\(lineNo)", reason: why) }
      var scanner = Scanner(Array(raw.hasSuffix("\r") ? raw.dropLast() : raw))
      scanner.skipSpaces()
      if scanner.atEndOrComment { continue }
      if scanner.peek == "[" {
        scanner.advance()
        scanner.skipSpaces()
        guard let name = scanner.key() else { throw fail("expected a section name after '['") }
        scanner.skipSpaces()
        guard scanner.peek == "]" else { throw fail("expected ']' after section name '\(name)'") }
        scanner.advance()
        scanner.skipSpaces()
        guard scanner.atEndOrComment else { throw fail("unexpected text after [\(name)]") }
        section = name
        continue
      }
      guard let key = scanner.key() else { throw fail("expected 'key = value'") }
      scanner.skipSpaces()
      guard scanner.peek == "=" else { throw fail("expected '=' after key '\(key)'") }
      scanner.advance()
      scanner.skipSpaces()
      let value: TomlValue
      do { value = try scanner.value() } catch let e as ScanError { throw fail("key '\(key)': \(e.message)") }
      scanner.skipSpaces()
      guard scanner.atEndOrComment else { throw fail("key '\(key)': unexpected text after the value") }
      let entry = TomlEntry(section: section, key: key, value: value, line: lineNo)
      guard seen.insert(entry.path).inserted else { throw fail("duplicate key '\(entry.path)'") }
      entries.append(entry)
    }
    return entries
  }

  struct ScanError: Error { var message: String }

  struct Scanner {
    var chars: [Character]
    var pos = 0
    init(_ chars: [Character]) { self.chars = chars }

    var peek: Character? { pos < chars.count ? chars[pos] : nil }
    var atEndOrComment: Bool { peek == nil || peek == "#" }
    mutating func advance() { pos += 1 }
    mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { pos += 1 } }

    /// A bare key (letters, digits, `_`, `-`) or a quoted one.
    mutating func key() -> String? {
      if peek == "\"" || peek == "'" {
        if case .string(let s)? = try? string() { return s }
        return nil
      }
      var s = ""
      while let c = peek, c.isLetter || c.isNumber || c == "_" || c == "-" { s.append(c); pos += 1 }
      return s.isEmpty ? nil : s
    }

    mutating func value() throws -> TomlValue {
      guard let c = peek else { throw ScanError(message: "missing value") }
      if c == "\"" || c == "'" { return try string() }
      if c == "[" { return try array() }
      var word = ""
      while let d = peek, d.isLetter || d.isNumber || d == "_" || d == "-" || d == "+" { word.append(d); pos += 1 }
      if word == "true" { return .bool(true) }
      if word == "false" { return .bool(false) }
      if let n = Int(word.replacingOccurrences(of: "_", with: "")) { return .int(n) }
      throw ScanError(message: word.isEmpty ? "unexpected '\(c)'" : "'\(word)' is not a string, integer or boolean (strings need quotes)")
    }

    mutating func string() throws -> TomlValue {
      let quote = peek!
      pos += 1
      var s = ""
      while let c = peek {
        pos += 1
        if c == quote { return .string(s) }
        if c == "\\" && quote == "\"" {
          guard let e = peek else { break }
          pos += 1
          switch e {
          case "n": s.append("\n")
          case "t": s.append("\t")
          case "\"": s.append("\"")
          case "\\": s.append("\\")
          default: throw ScanError(message: "unknown escape '\\\(e)'")
          }
        } else {
          s.append(c)
        }
      }
      throw ScanError(message: "unterminated string")
    }

    mutating func array() throws -> TomlValue {
      pos += 1
      var items = [TomlValue]()
      while true {
        skipSpaces()
        if peek == "]" { pos += 1; return .array(items) }
        guard peek != nil, peek != "#" else { throw ScanError(message: "unterminated array (arrays must fit on one line)") }
        items.append(try value())
        skipSpaces()
        if peek == "," { pos += 1; continue }
        if peek == "]" { pos += 1; return .array(items) }
        throw ScanError(message: "expected ',' or ']' in array")
      }
    }
  }
}
