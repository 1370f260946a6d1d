import Common
import Engine
import Search

/// One input batch for the data-dependent proxies: NHWC float values (already normalised) and labels.
///
/// Kept free of the Data target's types so that proxies can be fed from anywhere (a loader batch, a
/// Gaussian probe, a hand-made test case); `ProxyBatch(shape:values:labels:)` checks consistency once.
public struct ProxyBatch: Sendable {
  /// `[n, c, h, w]` for images (stored NHWC) or `[n, f]` for vectors.
  public let shape: Shape
  public let values: [Float]
  public let labels: [Int32]

  public init(shape: Shape, values: [Float], labels: [Int32]) throws {
    guard shape.n >= 1 else { throw RDNASError.badInput("proxy batch: needs at least one sample") }
    guard values.count == shape.count else {
      throw RDNASError.badInput("proxy batch: \(values.count) values for shape \(shape) (\(shape.count) expected)")
    }
    guard labels.count == shape.n else {
      throw RDNASError.badInput("proxy batch: \(labels.count) labels for \(shape.n) samples")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 }) {
      throw RDNASError.badInput("proxy batch: label \(labels[bad]) of sample \(bad) is negative")
    }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw RDNASError.badInput("proxy batch: value \(bad) is not finite")
    }
    self.shape = shape
    self.values = values
    self.labels = labels
  }

  public var count: Int { shape.n }

  /// A fresh input tensor (proxies never write into their input, but tapes keep references to it).
  public func tensor() -> Tensor { Tensor(shape: shape, values: values) }

  /// Standard-normal images with uniform labels: a stand-in when no dataset is at hand (tests, timing).
  public static func gaussian(count: Int, channels: Int, size: Int, classes: Int, seed: UInt64) throws -> ProxyBatch {
    guard count >= 1, channels >= 1, size >= 1, classes >= 1 else {
      throw RDNASError.badInput("gaussian proxy batch: count, channels, size and classes must be positive")
    }
    var rng = RandomSource(seed: seed)
    let shape = Shape(count, channels, size, size)
    let values = (0..<shape.count).map { _ in rng.nextGaussian() }
    let labels = (0..<count).map { _ in Int32(rng.uniform(below: classes)) }
    return try ProxyBatch(shape: shape, values: values, labels: labels)
  }

  /// Throws unless every label indexes one of `classes` logits (cross-entropy would read out of bounds).
  func checkLabels(classes: Int, proxy: String) throws {
    if let bad = labels.firstIndex(where: { Int($0) >= classes }) {
      throw RDNASError.badInput(
        "\(proxy): label \(labels[bad]) of sample \(bad) is out of range for a network with \(classes) classes")
    }
  }
}
