import Foundation
import Common
import Search

/// Zero-cost proxy values per (proxy, encoding), computed once: priors of rank pairs repeat across steps,
/// and some proxies (ZenScore, SynFlow) cost a forward pass or more.
public final class PriorCache: @unchecked Sendable {
  /// Scores `arch` with `proxy` in `space` (the trainer's space: the dataset's input shape and classes).
  public typealias Scorer = (_ proxy: String, _ arch: Encoding, _ space: any SearchSpace) throws -> Double
  let space: any SearchSpace
  let scorer: Scorer?
  private var values: [String: [Encoding: Double]] = [:]
  public private(set) var computeSeconds = 0.0
  public private(set) var hits = 0, misses = 0

  /// `scorer` handles proxies other than the analytic "flops" and "params".
  public init(space: any SearchSpace, scorer: Scorer? = nil) {
    self.space = space
    self.scorer = scorer
  }

  public func prior(_ proxy: String, _ arch: Encoding) throws -> Double {
    if let v = values[proxy]?[arch] { hits += 1; return v }
    misses += 1
    let t0 = Date()
    let v: Double
    switch proxy {
    case "flops": v = space.flops(arch)
    case "params": v = Double(space.params(arch))
    default:
      guard let scorer else { throw RDNASError.badInput("unknown proxy '\(proxy)' (known: flops, params)") }
      v = try scorer(proxy, arch, space)
    }
    computeSeconds += Date().timeIntervalSince(t0)
    values[proxy, default: [:]][arch] = v
    return v
  }
}
