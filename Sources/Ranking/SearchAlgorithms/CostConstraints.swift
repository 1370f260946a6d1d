import Foundation
import Common
import RunEvents
import Search

extension CostConstraints {
  public func admits(_ e: Encoding, in space: any SearchSpace) -> Bool {
    admits(flops: space.flops(e), params: space.params(e))
  }

  /// Throws one `badInput` line when no architecture can satisfy the bounds: an empty interval, a bound
  /// outside what the space's smallest and largest networks span, or (for bounds that only intersect in
  /// combination) no admitted code among `draws` uniform samples. Both spaces' costs grow monotonically
  /// from `smallest` to `largest`, so those two give the reachable range.
  public func checkFeasible(in space: any SearchSpace, draws: Int = 20_000, seed: UInt64 = 0) throws {
    if let lo = flopsMin, let hi = flopsMax, lo > hi {
      throw RDNASError.badInput("--flops-min \(Self.short(lo)) is above --flops-max \(Self.short(hi))")
    }
    if let lo = paramsMin, let hi = paramsMax, lo > hi {
      throw RDNASError.badInput("--params-min \(lo) is above --params-max \(hi)")
    }
    guard !isEmpty else { return }
    let low = (flops: space.flops(space.smallest), params: space.params(space.smallest))
    let high = (flops: space.flops(space.largest), params: space.params(space.largest))
    let range = "the \(space.name) space spans \(Self.short(low.flops))…\(Self.short(high.flops)) FLOPs and "
      + "\(low.params)…\(high.params) parameters"
    if let m = flopsMax, m < low.flops { throw RDNASError.badInput("--flops-max \(Self.short(m)) admits nothing: \(range)") }
    if let m = flopsMin, m > high.flops { throw RDNASError.badInput("--flops-min \(Self.short(m)) admits nothing: \(range)") }
    if let m = paramsMax, m < low.params { throw RDNASError.badInput("--params-max \(m) admits nothing: \(range)") }
    if let m = paramsMin, m > high.params { throw RDNASError.badInput("--params-min \(m) admits nothing: \(range)") }
    if admits(space.smallest, in: space) || admits(space.largest, in: space) { return }
    var rng = RandomSource(seed: seed)
    for _ in 0..<draws where admits(space.sample(using: &rng), in: space) { return }
    throw RDNASError.badInput("no architecture among \(draws) random draws meets the FLOPs and parameter bounds "
      + "together (\(range)); widen them")
  }

  /// 12.3M-style figures for error lines.
  static func short(_ x: Double) -> String {
    let a = abs(x)
    if a >= 1e9 { return String(format: "%.3gG", x / 1e9) }
    if a >= 1e6 { return String(format: "%.3gM", x / 1e6) }
    if a >= 1e3 { return String(format: "%.3gk", x / 1e3) }
    return String(format: "%.3g", x)
  }
}
