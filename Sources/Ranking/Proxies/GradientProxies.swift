import Common
import Engine
import Search
import Supernet

/// GradNorm (Abdelfattah et al. 2021): Σ over conv/linear layers of ‖∂CE/∂W‖₂ on one batch with fresh
/// weights (the zero-cost-proxies repo's per-layer norms, summed), BN on batch statistics.
public struct GradNorm: NetworkProxy {
  public init() {}
  public var name: String { "gradnorm" }
  public var isDataDependent: Bool { true }

  public func score(net: any Supernet, arch: Encoding, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    try CrossEntropyGradients.compute(net: net, arch: arch, batch: batch, proxy: name)
    return CrossEntropyGradients.sumOverLayers(net) { p in
      var s = 0.0
      for i in 0..<p.count { s += Double(p.grad[i]) * Double(p.grad[i]) }
      return s.squareRoot()
    }
  }
}

/// SNIP (Lee et al. 2019, as in Abdelfattah et al.): Σ over conv/linear weights of |θ ⊙ ∂CE/∂θ| on one
/// batch with fresh weights, BN on batch statistics.
public struct SNIP: NetworkProxy {
  public init() {}
  public var name: String { "snip" }
  public var isDataDependent: Bool { true }

  public func score(net: any Supernet, arch: Encoding, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    try CrossEntropyGradients.compute(net: net, arch: arch, batch: batch, proxy: name)
    return CrossEntropyGradients.sumOverLayers(net) { p in
      var s = 0.0
      for i in 0..<p.count { s += Double(abs(p.value[i] * p.grad[i])) }
      return s
    }
  }
}

enum CrossEntropyGradients {
  /// Leaves ∂(mean CE)/∂θ of one training-mode pass over `batch` in the parameters' gradients.
  static func compute(net: any Supernet, arch: Encoding, batch: ProxyBatch?, proxy: String) throws {
    guard let batch else { throw RDNASError.badInput("\(proxy): needs an input batch") }
    net.store.zeroGrad()
    let t = Tape(training: true)
    let logits = net.logits(t, batch.tensor(), arch: arch)
    try batch.checkLabels(classes: logits.shape.c, proxy: proxy)
    try t.backward(t.crossEntropy(logits, labels: batch.labels))
  }

  /// Σ of `perLayer` over the conv/linear weights the pass touched (the arch's layers, not the whole supernet).
  static func sumOverLayers(_ net: any Supernet, _ perLayer: (Parameter) -> Double) -> Double {
    ProxyNetworks.layerWeights(net.store).filter(\.touched).reduce(0) { $0 + perLayer($1) }
  }
}
