import Collective
import Engine

/// Combines the ranks' accumulated gradients between backward and the optimiser's update, in two
/// all-reduces (sums): first a small one of the "touched" flags (one per trainable tensor) and the step's
/// statistics; then one of the gradients of the tensors some rank touched, each weighted by the rank's
/// share of the global batch. Afterwards every rank holds the full-batch gradient, the same touched set
/// and the full-batch statistics. Only the sampled paths' tensors travel: a weight-sharing supernet's
/// step touches a fraction of its parameters.
public final class GradientExchange {
  public let store: ParameterStore
  public let collective: any Collective
  /// Reused across steps: a supernet's gradients are several MB.
  private var buffer: [Float] = []
  /// Floats all-reduced so far and the steps they served (for the record of a run's communication).
  public private(set) var floatsReduced = 0, steps = 0

  public init(store: ParameterStore, collective: any Collective) {
    self.store = store
    self.collective = collective
  }

  /// `localCount` of `globalCount` images were this rank's. `statistics` are means over the rank's images
  /// (losses) and come back as means over the global batch. `fingerprint` summarises what must be the same
  /// on every rank (step, sampling state, proxy); the result is false when some rank's differs, and the
  /// gradients are then left alone. Nothing happens with a single rank.
  @discardableResult
  public func combine(localCount: Int, globalCount: Int, statistics: inout [Double], fingerprint: UInt64 = 0) -> Bool {
    guard collective.size > 1 else { return true }
    let share = Float(localCount) / Float(globalCount)
    let trainable = store.trainable
    // Four 8-bit pieces of the fingerprint and their squares. All pieces agree iff N·Σv² = (Σv)² for each
    // (equality in Cauchy–Schwarz), and every rank computes that from the same sums, so all reach the same
    // verdict. 255² × N stays exact in Float up to 258 ranks.
    let pieces = (0..<4).map { Float((fingerprint >> (8 * UInt64($0))) & 0xFF) }
    var small = trainable.map { $0.touched ? Float(1) : 0 } + statistics.map { Float($0) * share }
      + pieces + pieces.map { $0 * $0 }
    collective.allReduce(&small, .sum)
    let sums = small.suffix(8).map(Double.init), ranks = Double(collective.size)
    guard (0..<4).allSatisfy({ ranks * sums[4 + $0] == sums[$0] * sums[$0] }) else { return false }
    for k in statistics.indices { statistics[k] = Double(small[trainable.count + k]) }
    // Every tensor this rank touched is among them (its own flag counts), so nothing local is dropped.
    let live = trainable.indices.filter { small[$0] > 0 }.map { trainable[$0] }
    let n = GradientPacking.count(live)
    if buffer.count < n { buffer = [Float](repeating: 0, count: n) }
    let collective = collective
    buffer.withUnsafeMutableBufferPointer { all in
      let buf = UnsafeMutableBufferPointer(rebasing: all[0..<n])
      GradientPacking.pack(live, into: buf, scale: share)
      collective.allReduce(buf, .sum)
      GradientPacking.unpack(live, from: buf)
    }
    floatsReduced += small.count + n
    steps += 1
    return true
  }

  public var averageFloatsPerStep: Double { steps > 0 ? Double(floatsReduced) / Double(steps) : 0 }
}
