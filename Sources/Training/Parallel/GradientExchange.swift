import Collective
import Engine

/// Combines the ranks' accumulated gradients between backward and the optimiser's update: every rank
/// packs its gradients weighted by its share of the global batch, with the "touched" flags and a few
/// step statistics, into one flat buffer; one all-reduce (sum) later every rank holds the full-batch
/// gradient, the same touched set and the full-batch statistics.
public final class GradientExchange {
  public let store: ParameterStore
  public let collective: any Collective
  /// Reused across steps: a supernet's gradients are several MB.
  private var buffer: [Float] = []

  public init(store: ParameterStore, collective: any Collective) {
    self.store = store
    self.collective = collective
  }

  /// Floats sent per step for `statistics` extra values (for the record and the cost model).
  public func floatsPerStep(statistics: Int) -> Int { store.packedGradientCount + statistics }

  /// `localCount` of `globalCount` images were this rank's. `statistics` are means over the rank's images
  /// (losses) and come back as means over the global batch. Nothing happens with a single rank.
  public func combine(localCount: Int, globalCount: Int, statistics: inout [Double]) {
    guard collective.size > 1 else { return }
    let gradients = store.packedGradientCount
    let needed = gradients + statistics.count
    if buffer.count != needed { buffer = [Float](repeating: 0, count: needed) }
    let share = Float(localCount) / Float(globalCount)
    let store = store, collective = collective
    buffer.withUnsafeMutableBufferPointer { buf in
      store.packGradients(into: UnsafeMutableBufferPointer(rebasing: buf[0..<gradients]), scale: share)
      for (k, s) in statistics.enumerated() { buf[gradients + k] = Float(s) * share }
      collective.allReduce(buf, .sum)
      store.unpackGradients(from: UnsafeMutableBufferPointer(rebasing: buf[0..<gradients]))
      for k in statistics.indices { statistics[k] = Double(buf[gradients + k]) }
    }
  }
}
