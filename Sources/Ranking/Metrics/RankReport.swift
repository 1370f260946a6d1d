import Common
import Foundation

/// Every rank-agreement number we report for a predictor against ground truth, each with a bootstrap CI.
///
/// Codable so runs can store it; values are NaN when undefined (encode with a
/// `nonConformingFloatEncodingStrategy` if a report may contain NaN).
public struct RankReport: Sendable, Codable, Equatable, CustomStringConvertible {
  /// A point estimate with its percentile-bootstrap interval.
  public struct Estimate: Sendable, Codable, Equatable {
    public var value: Double
    public var low: Double
    public var high: Double

    public init(value: Double, low: Double, high: Double) {
      self.value = value; self.low = low; self.high = high
    }
  }

  /// Precision at the top `percent` % (k items) of the candidates.
  public struct Precision: Sendable, Codable, Equatable {
    public var percent: Double
    public var k: Int
    public var estimate: Estimate
  }

  public var n: Int
  public var tau: Estimate
  public var rho: Estimate
  public var pearson: Estimate
  /// One entry per requested percent, in the order requested.
  public var precision: [Precision]
  public var resamples: Int
  public var level: Double
  public var seed: UInt64

  /// The conventional headline: precision at the top 10 %, if it was requested.
  public var precisionAt10Percent: Estimate? { precision.first { $0.percent == 10 }?.estimate }

  /// All statistics and their CIs from one set of resamples (resample r uses `RandomSource(seed).derived(r)`,
  /// so the report is a pure function of its inputs). Runs on all cores; resamples are evaluated on the
  /// presorted pairs, so 1,000 resamples of 15,625 pairs take about a second.
  public static func compute(
    predicted: [Double], truth: [Double], resamples: Int = 1000, seed: UInt64,
    percents: [Double] = [1, 5, 10], level: Double = 0.95
  ) throws -> RankReport {
    try PairedSample.checkLengths(predicted, truth, "rank report")
    try Bootstrap.checkSettings(resamples: resamples, level: level)
    for percent in percents { try PrecisionAtTop.checkPercent(percent) }
    let n = predicted.count
    let pairs = PresortedPairs(x: predicted, y: truth)
    let statisticCount = 3 + percents.count
    let values = ResampleValues(statistics: statisticCount, resamples: resamples)
    let base = RandomSource(seed: seed)
    if pairs.usable {
      Bootstrap.forEachResample(count: resamples) { range in
        var scratch = pairs.makeScratch()
        var indices = [Int](repeating: 0, count: n)
        var weights = [Int32](repeating: 0, count: n)
        for r in range {
          Bootstrap.drawIndices(n: n, resample: r, base: base, into: &indices)
          for i in weights.indices { weights[i] = 0 }
          for i in indices { weights[i] += 1 }
          values.set(statistic: 0, resample: r, pairs.tau(weights, &scratch))
          values.set(statistic: 1, resample: r, pairs.spearman(weights, &scratch))
          values.set(statistic: 2, resample: r, pairs.pearson(weights))
          for (p, percent) in percents.enumerated() {
            values.set(statistic: 3 + p, resample: r, pairs.precision(weights, percent: percent, &scratch))
          }
        }
      }
    }
    func estimate(_ statistic: Int, _ value: Double) -> Estimate {
      let interval = Bootstrap.percentileInterval(values.row(statistic), level: level)
      return Estimate(value: value, low: interval.low, high: interval.high)
    }
    let precision = percents.enumerated().map { p, percent in
      Precision(percent: percent, k: PrecisionAtTop.k(n: n, percent: percent),
                estimate: estimate(3 + p, PrecisionAtTop.unchecked(predicted, truth, percent: percent)))
    }
    return RankReport(
      n: n,
      tau: estimate(0, KendallTau.unchecked(predicted, truth)),
      rho: estimate(1, Spearman.unchecked(predicted, truth)),
      pearson: estimate(2, Pearson.unchecked(predicted, truth)),
      precision: precision, resamples: resamples, level: level, seed: seed)
  }

  /// A few aligned lines for a terminal or a log, e.g. `Kendall tau-b   0.7123  [0.7050, 0.7190]`.
  public var description: String {
    let percentLevel = Self.format(level * 100, digits: 0)
    var lines = ["n = \(n), \(percentLevel) % CIs from \(resamples) bootstrap resamples (seed \(seed))"]
    lines.append(Self.line("Kendall tau-b", tau))
    lines.append(Self.line("Spearman rho", rho))
    lines.append(Self.line("Pearson r", pearson))
    for entry in precision {
      lines.append(Self.line("P@top \(Self.format(entry.percent, digits: entry.percent.rounded() == entry.percent ? 0 : 1)) % (k=\(entry.k))", entry.estimate))
    }
    return lines.joined(separator: "\n")
  }

  private static func line(_ name: String, _ e: Estimate) -> String {
    let padded = name.padding(toLength: max(name.count, 22), withPad: " ", startingAt: 0)
    return "\(padded)\(format(e.value, digits: 4))  [\(format(e.low, digits: 4)), \(format(e.high, digits: 4))]"
  }

  private static func format(_ value: Double, digits: Int) -> String {
    value.isNaN ? "nan" : String(format: "%.\(digits)f", value)
  }
}
