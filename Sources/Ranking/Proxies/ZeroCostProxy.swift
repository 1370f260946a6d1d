import Common
import Engine
import Foundation
import Search
import Supernet

/// A training-free score of an architecture (method doc §3, §11): higher is meant to predict higher accuracy.
///
/// Proxies are value types holding only their settings, so one instance can score any number of
/// architectures; every score is a pure function of (arch, space, batch, seed).
public protocol ZeroCostProxy: Sendable {
  /// The registry name ("synflow", "naswot", ...), also the column name in score files.
  var name: String { get }
  /// True when the score needs a real input batch (NASWOT, GradNorm, SNIP); the others ignore `batch`.
  var isDataDependent: Bool { get }
  /// Throws `RDNASError.badInput` for an invalid encoding or a missing/mismatched batch.
  func score(arch: Encoding, space: any SearchSpace, batch: ProxyBatch?, seed: UInt64) throws -> Double
}

/// A proxy that runs a network built for the encoding. `score(net:...)` is exposed so that tests (and
/// anyone holding a network already) can score a given model; it may overwrite the model's weights
/// (re-initialise them, take |θ|), so pass a network built for the purpose.
public protocol NetworkProxy: ZeroCostProxy {
  func score(net: any Supernet, arch: Encoding, batch: ProxyBatch?, seed: UInt64) throws -> Double
}

extension NetworkProxy {
  /// Builds a standalone network for `arch` with fresh weights drawn from `seed`, then scores it.
  public func score(arch: Encoding, space: any SearchSpace, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    let net = try ProxyNetworks.standalone(arch: arch, space: space, seed: seed)
    return try score(net: net, arch: arch, batch: batch, seed: seed)
  }
}

/// The registry of proxies by name.
public enum ZeroCostProxies {
  /// Every known proxy name, in the order the CLI lists them.
  public static let names = ["flops", "params", "zen", "synflow", "naswot", "swap", "swapreg", "gradnorm", "snip"]

  /// Stands for log 0: the score of a network whose output does not depend on its input or weights
  /// (e.g. an NB201 cell with no path from its input to its output). Finite so that score files stay
  /// valid JSON, and far below any real log-score (those are within ±10⁴).
  public static let logZero = -1.0e6

  /// The proxy with its default settings. Names are case-insensitive; "zennas" is accepted for "zen".
  public static func make(name: String) throws -> any ZeroCostProxy {
    switch name.lowercased().trimmingCharacters(in: .whitespaces) {
    case "flops": return FLOPsProxy()
    case "params": return ParamsProxy()
    case "zen", "zennas": return ZenScore()
    case "synflow": return SynFlow()
    case "naswot": return NASWOT()
    case "swap": return SWAP()
    case "swapreg", "swap-reg": return SWAP(regulariser: SWAP.nb201Regulariser)
    case "gradnorm", "grad_norm": return GradNorm()
    case "snip": return SNIP()
    default:
      throw RDNASError.badInput("unknown proxy '\(name)' (known: \(names.joined(separator: ", ")))")
    }
  }

  /// Several proxies from a comma-separated list such as "synflow,naswot".
  public static func make(list: String) throws -> [any ZeroCostProxy] {
    let parts = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard !parts.isEmpty else {
      throw RDNASError.badInput("empty proxy list (known: \(names.joined(separator: ", ")))")
    }
    return try parts.map { try make(name: $0) }
  }

  public static func isDataDependent(_ name: String) throws -> Bool { try make(name: name).isDataDependent }
}

/// log of a non-negative quantity, with `logZero` for 0 (and for anything not finite and positive).
func logOrZero(_ x: Double) -> Double {
  x > 0 && x.isFinite ? log(x) : ZeroCostProxies.logZero
}
