import Common
import Foundation

/// Is ranking A better than ranking B against the same truth? τ(A, truth) − τ(B, truth) with a *paired*
/// percentile-bootstrap interval: every resample draws one set of cells and computes both τ on it, so the
/// cell-to-cell variation the two rankings share cancels. (Two unpaired intervals overlap far more often
/// than the difference is in doubt.) The interval covers cell sampling only, not training-seed variation:
/// the protocol reports seeds separately.
public struct PairedTauDifference: Sendable, Codable, Equatable {
  public var n: Int
  public var tauA: Double
  public var tauB: Double
  public var difference: Double
  public var low: Double
  public var high: Double
  public var resamples: Int
  public var level: Double

  /// True when the whole interval lies above zero: A ranks better than B on cells like these.
  public var aIsBetter: Bool { low > 0 }

  public static func compute(a: [Double], b: [Double], truth: [Double], resamples: Int = 1000,
                             level: Double = 0.95, seed: UInt64) throws -> PairedTauDifference {
    try PairedSample.checkLengths(a, truth, "paired τ difference")
    try PairedSample.checkLengths(b, truth, "paired τ difference")
    guard truth.count >= 2 else { throw RDNASError.badInput("paired τ difference: needs at least 2 cells") }
    try Bootstrap.checkSettings(resamples: resamples, level: level)
    let tauA = try KendallTau.tauB(a, truth), tauB = try KendallTau.tauB(b, truth)
    let n = truth.count
    let values = ResampleValues(statistics: 1, resamples: resamples)
    let base = RandomSource(seed: seed)
    Bootstrap.forEachResample(count: resamples) { range in
      var idx = [Int](repeating: 0, count: n)
      var sa = [Double](repeating: 0, count: n), sb = sa, st = sa
      for r in range {
        Bootstrap.drawIndices(n: n, resample: r, base: base, into: &idx)
        for (p, i) in idx.enumerated() { sa[p] = a[i]; sb[p] = b[i]; st[p] = truth[i] }
        values.set(statistic: 0, resample: r, KendallTau.unchecked(sa, st) - KendallTau.unchecked(sb, st))
      }
    }
    let ci = Bootstrap.percentileInterval(values.row(0), level: level)
    return PairedTauDifference(n: n, tauA: tauA, tauB: tauB, difference: tauA - tauB, low: ci.low, high: ci.high,
                               resamples: resamples, level: level)
  }
}

/// The free ensemble: a weighted mean of the rankings' average ranks (ties share their mean rank), so
/// scores on incomparable scales (a supernet's accuracy, a proxy's log-count) combine without tuning.
/// Higher is better in every input and in the output.
public enum RankEnsemble {
  public static func combine(_ columns: [[Double]], weights: [Double]? = nil) throws -> [Double] {
    guard let n = columns.first?.count, !columns.isEmpty else {
      throw RDNASError.badInput("rank ensemble: no scores to combine")
    }
    guard columns.allSatisfy({ $0.count == n }) else {
      throw RDNASError.badInput("rank ensemble: score lists differ in length (\(columns.map(\.count)))")
    }
    let w = weights ?? [Double](repeating: 1, count: columns.count)
    guard w.count == columns.count, w.allSatisfy({ $0 >= 0 && $0.isFinite }), w.reduce(0, +) > 0 else {
      throw RDNASError.badInput("rank ensemble: need one non-negative weight per score list, not all zero")
    }
    let total = w.reduce(0, +)
    var out = [Double](repeating: 0, count: n)
    for (column, weight) in zip(columns, w) where weight > 0 {
      for (i, r) in Ranks.average(column).enumerated() { out[i] += weight / total * r }
    }
    return out
  }
}
