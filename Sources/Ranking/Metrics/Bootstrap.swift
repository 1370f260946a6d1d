import Common
import Foundation

/// Percentile-bootstrap confidence intervals for paired statistics.
///
/// Resample r draws n pair indices with replacement from `RandomSource(seed: seed).derived(r)`, so every
/// resample has its own stream: the result depends only on the seed, never on how resamples are spread
/// over threads, and the work uses every core.
public enum Bootstrap {
  public typealias Statistic = @Sendable (_ x: [Double], _ y: [Double]) -> Double

  /// The `level` percentile interval of `statistic` over `resamples` resamples of the pairs.
  /// Resamples where the statistic is NaN (e.g. a constant resample of a tiny sample) are left out; if more
  /// than half are NaN the interval is (NaN, NaN), since the survivors would not describe the statistic.
  public static func confidenceInterval(
    x: [Double], y: [Double], statistic: @escaping Statistic,
    resamples: Int = 1000, level: Double = 0.95, seed: UInt64
  ) throws -> (low: Double, high: Double) {
    try confidenceIntervals(x: x, y: y, statistics: [statistic], resamples: resamples, level: level, seed: seed)[0]
  }

  /// Several statistics over the same resamples (cheaper, and their intervals are then comparable).
  public static func confidenceIntervals(
    x: [Double], y: [Double], statistics: [Statistic],
    resamples: Int = 1000, level: Double = 0.95, seed: UInt64
  ) throws -> [(low: Double, high: Double)] {
    try PairedSample.checkLengths(x, y, "bootstrap")
    try checkSettings(resamples: resamples, level: level)
    let n = x.count
    let values = ResampleValues(statistics: statistics.count, resamples: resamples)
    let base = RandomSource(seed: seed)
    forEachResample(count: resamples) { range in
      var indices = [Int](repeating: 0, count: n)
      var sampleX = [Double](repeating: 0, count: n), sampleY = sampleX
      for r in range {
        drawIndices(n: n, resample: r, base: base, into: &indices)
        for (position, i) in indices.enumerated() { sampleX[position] = x[i]; sampleY[position] = y[i] }
        for (s, statistic) in statistics.enumerated() {
          values.set(statistic: s, resample: r, statistic(sampleX, sampleY))
        }
      }
    }
    return (0..<statistics.count).map { percentileInterval(values.row($0), level: level) }
  }

  static func checkSettings(resamples: Int, level: Double) throws {
    guard resamples >= 1 else { throw RDNASError.badInput("bootstrap: resamples must be at least 1, got \(resamples)") }
    guard level > 0 && level < 1 else { throw RDNASError.badInput("bootstrap: level must be in (0, 1), got \(level)") }
  }

  /// The indices of resample `r`: n uniform draws in 0..<n from the resample's own stream.
  /// (Multiply-high instead of rejection: the bias is below n/2⁶⁴, and every platform draws the same.)
  static func drawIndices(n: Int, resample r: Int, base: RandomSource, into indices: inout [Int]) {
    var random = base.derived(UInt64(r))
    let bound = UInt64(n)
    for position in 0..<n { indices[position] = Int(random.next().multipliedFullWidth(by: bound).high) }
  }

  /// Runs `body` over contiguous slices of 0..<count on all cores. Slices are a few per core so that an
  /// unlucky slow thread does not hold the others up.
  static func forEachResample(count: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let chunks = min(count, cores * 4)
    guard chunks > 1 else { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
    }
  }

  /// numpy's default ("linear") percentiles at (1 − level)/2 and (1 + level)/2 of the non-NaN values.
  static func percentileInterval(_ values: [Double], level: Double) -> (low: Double, high: Double) {
    let kept = values.filter { !$0.isNaN }.sorted()
    guard !kept.isEmpty, kept.count * 2 >= values.count else { return (.nan, .nan) }
    return (quantile(kept, (1 - level) / 2), quantile(kept, (1 + level) / 2))
  }

  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let h = Double(sorted.count - 1) * q
    let lower = Int(h.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
    let fraction = h - Double(lower)
    return fraction == 0 ? sorted[lower] : sorted[lower] + fraction * (sorted[upper] - sorted[lower])
  }
}

/// A statistics × resamples table that parallel workers fill at disjoint positions.
/// @unchecked Sendable: each (statistic, resample) cell is written by exactly one worker, and read only
/// after `concurrentPerform` has returned.
final class ResampleValues: @unchecked Sendable {
  private let storage: UnsafeMutableBufferPointer<Double>
  let resamples: Int

  init(statistics: Int, resamples: Int) {
    self.resamples = resamples
    storage = .allocate(capacity: max(1, statistics * resamples))
    storage.initialize(repeating: .nan)
  }

  deinit { storage.deallocate() }

  func set(statistic: Int, resample: Int, _ value: Double) { storage[statistic * resamples + resample] = value }

  func row(_ statistic: Int) -> [Double] {
    Array(storage[(statistic * resamples)..<((statistic + 1) * resamples)])
  }
}
