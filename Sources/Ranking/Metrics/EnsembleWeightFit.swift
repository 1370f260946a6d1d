import Common

/// Weights of a rank ensemble chosen on calibration cells: architectures with ground truth that are *not* the ones
/// being ranked (issue 11: the free ensemble's equal weights are a guess; a weight fitted on the cells ranked would
/// be a peek at their ground truth). Every weight vector on a simplex grid is tried and the one with the highest
/// Kendall τ-b against the calibration ground truth wins; ties go to the first in grid order.
public enum EnsembleWeightFit {
  public struct Fit: Equatable, Sendable {
    public var weights: [Double]   // sum to one
    public var tau: Double         // τ-b of the weighted ensemble on the calibration cells
    public var candidates: Int     // weight vectors tried
  }

  /// `columns`: each input's scores on the calibration cells (same order as `truth`). `step`: grid spacing of each
  /// weight (1 / step must be a whole number); two inputs at 0.05 are 21 vectors, three are 231.
  public static func fit(columns: [[Double]], truth: [Double], step: Double = 0.05) throws -> Fit {
    guard columns.count >= 2 else { throw RDNASError.badInput("weight fit: give at least two score lists") }
    guard columns.allSatisfy({ $0.count == truth.count }), truth.count >= 3 else {
      throw RDNASError.badInput("weight fit: every score list needs one score per calibration cell (at least 3 cells)")
    }
    let parts = Int((1 / step).rounded())
    guard parts >= 1, abs(Double(parts) * step - 1) < 1e-9 else {
      throw RDNASError.badInput("weight fit: step \(step) does not divide 1")
    }
    guard parts <= 100, columns.count <= 5 else {
      throw RDNASError.badInput("weight fit: grid too large (\(columns.count) inputs at step \(step))")
    }
    let grid = compositions(of: parts, into: columns.count)
    var best: Fit?
    for units in grid {
      let w = units.map { Double($0) / Double(parts) }
      let tau = KendallTau.unchecked(try RankEnsemble.combine(columns, weights: w), truth)
      if tau.isFinite, tau > (best?.tau ?? -.infinity) { best = Fit(weights: w, tau: tau, candidates: grid.count) }
    }
    guard let best else { throw RDNASError.badInput("weight fit: no weight gives a finite τ (constant scores?)") }
    return best
  }

  /// Every way to write `total` as `k` non-negative integers, first part descending (so (total, 0, …) first).
  static func compositions(of total: Int, into k: Int) -> [[Int]] {
    if k == 1 { return [[total]] }
    var out: [[Int]] = []
    for first in stride(from: total, through: 0, by: -1) {
      for rest in compositions(of: total - first, into: k - 1) { out.append([first] + rest) }
    }
    return out
  }
}
