import Common
import Engine
import Foundation
import Search
import Supernet

/// ZenScore (Lin et al. 2021, Zen-NAS; the reference's `compute_zen_score.py`, method doc §3.2).
///
/// Per repeat: re-initialise the network (conv and linear weights N(0, 1) with std 1, BN γ = 1, β = 0),
/// draw x, ε ~ N(0, 1) and x' = x + γ_mix·ε, run the residual-free network (`dropResiduals`) to its
/// pre-GAP features in training mode (BN on batch statistics), and
/// s = log(mean_batch Σ_{c,h,w} |f(x) − f(x')|) + Σ_BN log sqrt(mean_c σ²_c). The score is the mean of s.
///
/// **BN variance:** σ² is each BN's *batch* variance on x (unbiased; see `BatchVarianceProbe`), as the
/// method doc recommends. The reference instead reads the framework's *running* variance after both
/// forwards (momentum 0.1 from an initial 1, persisting across repeats), i.e. ≈ 0.9 + 0.1·σ² on the
/// first repeat: a depth-dependent bias toward 0 for the BN term that shrinks as repeats accumulate. BNs
/// that do not run (shortcut BNs of the residual-free net) contribute nothing, as log 1 = 0 did there.
public struct ZenScore: NetworkProxy {
  /// Gaussian images per forward (16 in the reference).
  public var batchSize = 16
  /// Input side; nil = the space's (the reference used 224 at ImageNet scale).
  public var resolution: Int?
  /// Independent re-initialisations averaged (32 in the reference). On 400 NB201 cells τ was 0.445 with 1
  /// repeat, 0.444 with 4, and 0.445 with batch 64: the score barely varies with the draw.
  public var repeats = 1
  /// The perturbation scale (the reference's mixup_gamma).
  public var mixupGamma: Float = 0.01

  public init(batchSize: Int = 16, resolution: Int? = nil, repeats: Int = 1, mixupGamma: Float = 0.01) {
    self.batchSize = batchSize
    self.resolution = resolution
    self.repeats = repeats
    self.mixupGamma = mixupGamma
  }

  public var name: String { "zen" }
  public var isDataDependent: Bool { false }

  public func score(net: any Supernet, arch: Encoding, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    guard batchSize >= 2, repeats >= 1, mixupGamma > 0 else {
      throw RDNASError.badInput("zen: batchSize must be ≥ 2, repeats ≥ 1 and mixupGamma > 0")
    }
    let geometry = try ProxyNetworks.inputGeometry(of: net.space)
    let side = resolution ?? geometry.size
    guard side >= 1 else { throw RDNASError.badInput("zen: resolution must be positive, got \(side)") }
    let shape = Shape(batchSize, geometry.channels, side, side)
    let probe = BatchVarianceProbe(store: net.store)
    var rng = RandomSource(seed: seed).derived(0x5A45_4E)  // "ZEN": independent of the init stream
    var total = 0.0
    for _ in 0..<repeats {
      reinitialise(net.store, rng: &rng)
      let x = rng.gaussianTensor(shape)
      let perturbed = rng.gaussianTensor(shape)
      for i in 0..<shape.count { perturbed.data[i] = x.data[i] + mixupGamma * perturbed.data[i] }

      let f = features(net, x, arch, probe: probe)
      let variances = probe.meanVariances()
      let g = features(net, perturbed, arch, probe: nil)

      var delta = 0.0
      for i in 0..<f.count { delta += Double(abs(f.data[i] - g.data[i])) }
      delta /= Double(batchSize)
      guard delta > 0, delta.isFinite, variances.allSatisfy({ $0 > 0 && $0.isFinite }) else {
        return ZeroCostProxies.logZero  // the output does not depend on the input
      }
      total += log(delta) + variances.reduce(0) { $0 + 0.5 * log($1) }
    }
    return total / Double(repeats)
  }

  private func features(_ net: any Supernet, _ x: Tensor, _ arch: Encoding, probe: BatchVarianceProbe?) -> Tensor {
    let t = Tape(training: true)
    t.dropResiduals = true
    probe?.arm(t)
    return net.features(t, x, arch: arch)
  }

  private func reinitialise(_ store: ParameterStore, rng: inout RandomSource) {
    for p in store.all {
      switch p.kind {
      case .weight: for i in 0..<p.count { p.value[i] = rng.nextGaussian() }
      case .normScale: p.value.update(repeating: 1, count: p.count)
      case .bias: p.value.update(repeating: 0, count: p.count)
      case .buffer: break
      }
    }
  }
}
