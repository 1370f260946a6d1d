#if canImport(Glibc)
import Glibc
#endif

extension RankLossConfig.LambdaSchedule {
  /// λ at a (possibly fractional) 0-based epoch of a run of `epochs` epochs, scaled so that a 70-epoch run
  /// reproduces the reference's curves (method doc §2.3) and shorter runs keep their shape:
  /// warmup: min(λmax, λmax·e/(0.2857·E)) (= min(2, e/10) at E = 70, λmax = 2); constant: λmax;
  /// cosine: λmax·sin(0.8π·e/E); multistage: 0 before 5/70 of the run, linear to λmax at 20/70, flat to 50/70,
  /// then linear down to λmax/2·(0.1·…) — the reference's 4-stage curve (−0.1·e+7 between 50 and 70).
  public func lambda(epoch e: Double, epochs: Int, maxLambda: Double) -> Double {
    let E = Double(max(1, epochs))
    let u = e / E * 70  // the reference's epoch scale
    switch self {
    case .constant: return maxLambda
    case .warmup: return min(maxLambda, maxLambda * u / 20)
    case .cosine: return maxLambda * sin(0.8 * Double.pi * e / E)
    case .multistage:
      if u < 5 { return 0 }
      if u < 20 { return maxLambda * (u - 5) / 15 }
      if u < 50 { return maxLambda }
      return max(0, maxLambda * (-0.1 * u + 7) / 2)
    }
  }
}
