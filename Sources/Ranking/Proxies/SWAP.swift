import Common
import Engine
import Foundation
import Search
import Supernet

/// SWAP-Score (Peng et al., ICLR 2024, "SWAP-NAS: Sample-Wise Activation Patterns for Ultra-fast NAS"): at
/// initialisation, forward a small batch (16 images in the paper), take the sign of every ReLU output of
/// the 4-D feature maps, lay them out as a neurons × samples binary matrix and count its distinct rows.
/// Each neuron's row is its sample-wise activation pattern; a network that separates inputs in more ways
/// has more distinct patterns. Averaged over `repeats` re-initialisations (fresh Gaussian weights each).
///
/// The regularised form multiplies by exp(−(params/1000 − μ)² / σ) (parameters counted in thousands, as
/// the reference's `count_parameters` does), steering the score towards a model size.
public struct SWAP: NetworkProxy {
  public var repeats: Int
  /// Samples used from the batch (the paper's 16); a larger batch is cut to its first `samples`.
  public var samples = 16
  /// (μ, σ) of the size regulariser, in thousands of parameters; nil: the raw score.
  public var regulariser: (mu: Double, sigma: Double)?

  /// μ, σ for NAS-Bench-201 (C=16, N=5: 73k to 1.53M parameters), chosen on a calibration sample of cells
  /// disjoint from the benchmark's held-out cells (bench/results/rank-nb201/swap-calibration.md).
  public static let nb201Regulariser = (mu: 1000.0, sigma: 1.0e6)

  public init(repeats: Int = 4, regulariser: (mu: Double, sigma: Double)? = nil) {
    self.repeats = repeats
    self.regulariser = regulariser
  }

  public var name: String { regulariser == nil ? "swap" : "swapreg" }
  public var isDataDependent: Bool { true }

  public func score(arch: Encoding, space: any SearchSpace, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    var sum = 0.0
    for r in 0..<max(1, repeats) {
      let net = try ProxyNetworks.standalone(arch: arch, space: space, seed: seed &+ UInt64(r) &* 0x9E37_79B9)
      sum += try patterns(net: net, arch: arch, batch: batch)
    }
    return try regularised(sum / Double(max(1, repeats)), params: Double(space.params(arch)))
  }

  /// One initialisation: the net's current weights, no re-draw (for tests and callers holding a net).
  public func score(net: any Supernet, arch: Encoding, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    try regularised(try patterns(net: net, arch: arch, batch: batch), params: Double(net.store.parameterCount))
  }

  func regularised(_ raw: Double, params: Double) throws -> Double {
    guard let (mu, sigma) = regulariser else { return raw }
    let k = params / 1000
    return raw * exp(-((k - mu) * (k - mu)) / sigma)
  }

  /// Distinct sample-wise activation patterns over every ReLU of one forward pass (training-mode BN).
  func patterns(net: any Supernet, arch: Encoding, batch: ProxyBatch?) throws -> Double {
    guard let batch else { throw RDNASError.badInput("swap: needs an input batch") }
    guard (1...64).contains(batch.count) else {
      throw RDNASError.badInput("swap: needs a batch of 1 to 64 samples, got \(batch.count)")
    }
    let n = min(batch.count, samples)
    let set = ActivationPatternSet(samples: n)
    let t = Tape(training: true)
    // The paper counts the ReLUs of 4-D feature maps only (not those of a classifier's hidden layers).
    t.reluObserver = { x in if x.shape.rank == 4 { set.add(x.data, count: x.count) } }
    let perSample = batch.shape.count / batch.count, s = batch.shape
    let x = Tensor(shape: s.rank == 4 ? Shape(n, s.c, s.h, s.w) : Shape(n, s.c),
                   values: Array(batch.values[0..<(n * perSample)]))
    _ = net.logits(t, x, arch: arch)
    guard set.neurons > 0 else { throw RDNASError.badInput("swap: the network has no ReLU on a 4-D feature map") }
    return Double(set.distinct)
  }
}

/// The distinct rows of a neurons × samples sign matrix, fed one ReLU input at a time (sample-major
/// floats). Patterns of up to 16 samples live in a 65,536-bit set (no hashing); up to 64 in a `Set`.
final class ActivationPatternSet {
  let samples: Int
  private(set) var neurons = 0
  private(set) var distinct = 0
  private var bits: [UInt64] = []
  private var wide = Set<UInt64>()
  private var rows: [UInt64] = []

  init(samples: Int) {
    precondition((1...64).contains(samples))
    self.samples = samples
    if samples <= 16 { bits = [UInt64](repeating: 0, count: (1 << samples + 63) / 64) }
  }

  /// Adds the neurons of one ReLU input: `count` floats, `samples` equal sample-major rows.
  func add(_ data: UnsafePointer<Float>, count: Int) {
    guard count % samples == 0 else { return }
    let perSample = count / samples
    if rows.count < perSample { rows = [UInt64](repeating: 0, count: perSample) }
    rows.withUnsafeMutableBufferPointer { r in
      for j in 0..<perSample { r[j] = 0 }
      for s in 0..<samples {
        let row = data + s * perSample, bit = UInt64(1) << UInt64(s)
        for j in 0..<perSample where row[j] > 0 { r[j] |= bit }
      }
      for j in 0..<perSample { insert(r[j]) }
    }
    neurons += perSample
  }

  @inline(__always) private func insert(_ p: UInt64) {
    if samples <= 16 {
      let w = Int(p >> 6), m = UInt64(1) << (p & 63)
      if bits[w] & m == 0 { bits[w] |= m; distinct += 1 }
    } else if wide.insert(p).inserted {
      distinct += 1
    }
  }
}
