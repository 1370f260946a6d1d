import Common
import Dispatch
import Engine
import Search
import Supernet

/// What `--precision auto` times: a named workload, one pass of it in a given precision (milliseconds).
public protocol PrecisionWorkload {
  /// Names the workload in the cache key and the decision's reason.
  var network: String { get }
  func pass(_ precision: Precision) throws -> Double
}

/// One training pass (forward + backward, no update) of a run's largest path on one random batch of the
/// run's input shape, in a given precision: the workload `--precision auto` times. It runs on a supernet of
/// its own, so the run's weights and BN statistics are untouched by the measurement.
public struct PrecisionProbe: PrecisionWorkload {
  /// Names the workload in the cache key and the decision's reason (space, its sizes, batch and input).
  public let network: String
  let net: Supernet
  let arch: Encoding
  let x: Tensor
  let labels: [Int32]

  public init(config: TrainingConfig, space: any SearchSpace, channels: Int, height: Int, width: Int) throws {
    try self.init(net: config.makeSupernet(space: space), space: space, batchSize: config.batchSize,
                  channels: channels, height: height, width: width,
                  activation: space is ResNetSpace ? config.activation.rawValue : nil)
  }

  /// Probes `net`, which must not be the network being trained (its BN statistics move).
  public init(net: Supernet, space: any SearchSpace, batchSize n: Int, channels: Int, height: Int, width: Int,
              activation: String? = nil) {
    self.net = net
    arch = space.largest
    var rng = RandomSource(seed: 0x9EC)
    x = Tensor(shape: Shape(n, channels, height, width),
               values: (0..<(n * channels * height * width)).map { _ in rng.nextGaussian() })
    var sizes = ""
    var classes = 10
    switch space {
    case let rs as ResNetSpace:
      let c = rs.config
      classes = c.classes
      sizes = "base=\(c.baseChannels.map(String.init).joined(separator: ",")) divisor=\(c.channelDivisor)"
    case let nb as NB201Space:
      classes = nb.config.classes
      sizes = "C=\(nb.config.C) N=\(nb.config.N)"
    default: break
    }
    if let activation { sizes += " activation=\(activation)" }
    labels = (0..<n).map { _ in Int32(rng.next() % UInt64(max(1, classes))) }
    network = "\(space.name) \(sizes) largest \(space.format(arch)) batch=\(n) input=\(channels)x\(height)x\(width)"
  }

  /// Milliseconds of one forward+backward pass in `precision`.
  public func pass(_ precision: Precision) throws -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let t = Tape(training: true)
    t.precision = precision
    try t.backward(t.crossEntropy(net.logits(t, x, arch: arch), labels: labels))
    let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    net.store.zeroGrad()
    return ms
  }
}

/// The workload `--precision auto` times for commands without one network of their own (proxy scoring of many
/// networks, evaluation, benchmarks): the engine's 3×3 convolution case (batch 64, 32→32 channels, 32×32),
/// forward and both backward passes, which dominate every network rdnas trains.
public struct ConvolutionProbe: PrecisionWorkload {
  public let network = "conv3x3 batch=64 32->32 channels 32x32"
  let x: Tensor
  let w: Parameter

  public init() {
    var rng = RandomSource(seed: 0x9EC)
    x = Tensor(shape: Shape(64, 32, 32, 32), values: (0..<(64 * 32 * 32 * 32)).map { _ in rng.nextGaussian() },
               requiresGrad: true)
    w = Parameter(name: "w", shape: [32, 32, 3, 3], kind: .weight)
    w.values = (0..<w.count).map { _ in rng.nextGaussian() * 0.1 }
  }

  public func pass(_ precision: Precision) throws -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    x.clearGrad(); w.zeroGrad()
    let t = Tape(training: true)
    t.precision = precision
    try t.backward(t.sum(t.conv2d(x, w, outChannels: 32, kernel: 3)))
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
  }
}
