/// Every error a user can cause. The CLI prints `description` as one line and exits with `exitCode`.
public enum RDNASError: Error, CustomStringConvertible, Equatable {
  /// Bad input: a file, argument or encoding the user gave us is wrong (exit 2).
  case badInput(String)
  /// A file we read is malformed or truncated (exit 2); `path` names it.
  case badFile(path: String, reason: String)
  /// Something failed while doing valid work (exit 1).
  case failure(String)
  /// A loss or gradient stopped being finite; `op` names where it was first seen.
  case nonFinite(op: String, detail: String)

  public var description: String {
    switch self {
    case .badInput(let m): return m
    case .badFile(let p, let r): return "\(p): \(r)"
    case .failure(let m): return m
    case .nonFinite(let op, let d): return "non-finite value in \(op): \(d)"
    }
  }

  public var exitCode: Int32 {
    switch self {
    case .badInput, .badFile: return 2
    case .failure, .nonFinite: return 1
    }
  }
}
