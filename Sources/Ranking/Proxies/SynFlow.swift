import Common
import Engine
import Foundation
import Search
import Supernet

/// SynFlow (Tanaka et al. 2020, as computed by Abdelfattah et al.'s zero-cost proxies): with every
/// parameter replaced by |θ|, batch norm removed and an all-ones input of batch 1, R = Σ logits and
/// score = Σ_θ |θ ⊙ ∂R/∂θ| over conv and linear weights.
///
/// **Returns log(score)**, which orders architectures exactly as the score does.
///
/// Why the log and the rescaling: the reference runs in float64 because the score grows geometrically with
/// depth and overflows float32 on NB201 C=16 N=5. With |θ|, a positive input and no BN, every activation is
/// non-negative, so every ReLU is the identity and the network is linear in each weight tensor; every path
/// from input to logits crosses each block (cell) output once. Dividing each block output by a detached
/// positive α (its mean) therefore divides ∂R/∂θ for every weight by Πα exactly (the fc bias adds to R but
/// not to any weight gradient), and log score = log score' + Σ log α. Each block's activations stay O(1).
public struct SynFlow: NetworkProxy {
  /// Divide each block output by its mean and add Σ log α back (exact; see above). Off = the direct
  /// float32 computation, which overflows on deep networks (then `score` throws `nonFinite`).
  public var rescaleBlocks = true
  /// The value of every input pixel (1 in the reference). The score is homogeneous of degree 1 in it.
  public var inputValue: Float = 1
  /// Input side; nil = the space's.
  public var resolution: Int?

  public init(rescaleBlocks: Bool = true, inputValue: Float = 1, resolution: Int? = nil) {
    self.rescaleBlocks = rescaleBlocks
    self.inputValue = inputValue
    self.resolution = resolution
  }

  public var name: String { "synflow" }
  public var isDataDependent: Bool { false }

  public func score(net: any Supernet, arch: Encoding, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    guard inputValue > 0, inputValue.isFinite else {
      throw RDNASError.badInput("synflow: inputValue must be positive and finite, got \(inputValue)")
    }
    let geometry = try ProxyNetworks.inputGeometry(of: net.space)
    let side = resolution ?? geometry.size
    guard side >= 1 else { throw RDNASError.badInput("synflow: resolution must be positive, got \(side)") }

    // Linearise: |θ| for every tensor of the model, as the reference does for its whole state_dict.
    for p in net.store.all {
      for i in 0..<p.count { p.value[i] = abs(p.value[i]) }
    }
    net.store.zeroGrad()

    let t = Tape(training: false)
    t.skipBatchNorm = true
    let logScale = LogScaleAccumulator()
    if rescaleBlocks {
      t.blockOutputHook = { tape, h in logScale.normalise(tape, h) }
    }
    let x = Tensor(shape: Shape(1, geometry.channels, side, side), values: [Float](
      repeating: inputValue, count: geometry.channels * side * side))
    let r = t.sum(net.logits(t, x, arch: arch))
    try t.backward(r)

    var total = 0.0
    for p in ProxyNetworks.layerWeights(net.store) where p.touched {
      var s = 0.0
      for i in 0..<p.count { s += Double(abs(p.value[i] * p.grad[i])) }
      total += s
    }
    guard total.isFinite else {
      throw RDNASError.nonFinite(op: "synflow", detail: "Σ|θ ⊙ ∂R/∂θ| overflowed (rescaleBlocks = \(rescaleBlocks))")
    }
    guard total > 0 else { return ZeroCostProxies.logZero }
    return log(total) + logScale.sum
  }
}

/// Divides block outputs by a detached positive scalar and remembers Σ log(factor) (SynFlow's rescale).
final class LogScaleAccumulator {
  private(set) var sum = 0.0

  func normalise(_ t: Tape, _ h: Tensor) -> Tensor {
    var acc = 0.0
    for i in 0..<h.count { acc += Double(h.data[i]) }
    let mean = acc / Double(max(1, h.count))
    // An all-zero block output (no path through the cell) stays zero: the score will be 0 either way.
    guard mean > 0, mean.isFinite else { return h }
    let factor = Float(1 / mean)
    // Log of the factor actually applied (after rounding to Float), so the correction is exact.
    sum -= log(Double(factor))
    return t.scale(h, factor)
  }
}
