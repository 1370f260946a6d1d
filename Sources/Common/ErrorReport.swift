import Foundation

/// An error that knows its documented exit code (2: bad input, 1: a failure while working) and a one-line
/// message. `RDNASError` is one; other targets' error types conform so the CLI maps every error the same way.
public protocol ReportableError: Error, CustomStringConvertible {
  var exitCode: Int32 { get }
}

extension RDNASError: ReportableError {}

/// Turns any error into the one line the CLI prints after `rdnas: error: ` and its exit code, so no error
/// reaches the user as a Swift dump or a stack trace.
public enum ErrorReport {
  public static func describe(_ error: Error) -> (message: String, exitCode: Int32) {
    switch error {
    case let e as ReportableError:
      return (oneLine(e.description), e.exitCode)
    case let e as DecodingError:
      return (oneLine(describe(e)), 2)
    case let e as CocoaError where e.isFileError:
      // Files the user named that cannot be read are bad input; others (writing) are failures.
      let path = (e.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
      let reading = [.fileReadNoSuchFile, .fileNoSuchFile, .fileReadNoPermission, .fileReadCorruptFile].contains(e.code)
      return (oneLine(path + e.localizedDescription), reading ? 2 : 1)
    default:
      return (oneLine("\(error)"), 1)
    }
  }

  /// `"rank.pairs: expected Int, found a string"`: the key path and what is wrong with it, from Swift's
  /// DecodingError (whose own text is a multi-line dump of coding paths).
  public static func describe(_ e: DecodingError) -> String {
    switch e {
    case .keyNotFound(let key, let ctx):
      return "missing key '\(keyPath(ctx.codingPath + [key]))'"
    case .typeMismatch(let type, let ctx):
      return "\(where_(ctx.codingPath))expected \(typeName(type)) (\(ctx.debugDescription.trimmingCharacters(in: .punctuationCharacters)))"
    case .valueNotFound(let type, let ctx):
      return "\(where_(ctx.codingPath))null where \(typeName(type)) is needed"
    case .dataCorrupted(let ctx):
      if ctx.codingPath.isEmpty {
        let detail = ctx.underlyingError.map { ($0 as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\($0)" }
        return "not valid JSON" + (detail.map { " (\($0))" } ?? "")
      }
      return "\(where_(ctx.codingPath))\(ctx.debugDescription)"
    @unknown default:
      return "\(e)"
    }
  }

  /// `rank.cycle[2]`.
  public static func keyPath(_ path: [CodingKey]) -> String {
    var s = ""
    for k in path {
      if let i = k.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + k.stringValue }
    }
    return s
  }

  static func where_(_ path: [CodingKey]) -> String { path.isEmpty ? "" : "key '\(keyPath(path))': " }

  static func typeName(_ t: Any.Type) -> String {
    switch t {
    case is String.Type: return "a string"
    case is Int.Type, is UInt64.Type: return "an integer"
    case is Double.Type, is Float.Type: return "a number"
    case is Bool.Type: return "true or false"
    default:
      let n = "\(t)"
      return n.hasPrefix("Array") ? "a list" : n.hasPrefix("Dictionary") ? "an object" : n
    }
  }

  static func oneLine(_ s: String) -> String {
    s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
  }
}
