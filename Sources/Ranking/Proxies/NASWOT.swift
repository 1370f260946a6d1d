import Common
import Engine
import Search
import Supernet

/// NASWOT (Mellor et al. 2021, "Neural Architecture Search without Training"): on one batch, the binary
/// code (x > 0) of every ReLU input of each sample; K_ij = number of agreeing units; score = log|det K|
/// (Float64 LU). Forward in training mode (BN on batch statistics), fresh weights, as the reference.
public struct NASWOT: NetworkProxy {
  public init() {}
  public var name: String { "naswot" }
  public var isDataDependent: Bool { true }

  public func score(net: any Supernet, arch: Encoding, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    guard let batch else { throw RDNASError.badInput("naswot: needs an input batch") }
    guard batch.count >= 2 else {
      throw RDNASError.badInput("naswot: needs a batch of at least 2 samples, got \(batch.count)")
    }
    let kernel = HammingKernel(samples: batch.count)
    let t = Tape(training: true)
    t.reluObserver = { x in kernel.add(x.data, count: x.count) }
    _ = net.logits(t, batch.tensor(), arch: arch)
    guard kernel.units > 0 else { throw RDNASError.badInput("naswot: the network has no ReLU") }
    let value = LogDeterminant.logAbsDet(kernel.matrix, n: batch.count)
    return value.isFinite ? value : ZeroCostProxies.logZero
  }
}
