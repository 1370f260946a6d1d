import Common

/// A persistent tensor of a model: a full supernet-sized weight (PyTorch layout: OIHW for convs,
/// [out, in] for linear, [C] for batch norm) that forward passes may use as a prefix slice.
/// Gradients of every pass accumulate in `grad` until the optimiser steps and clears it.
public final class Parameter: @unchecked Sendable {
  public enum Kind: String, Sendable, Codable {
    case weight       // conv / linear weights: weight decay applies
    case normScale    // BN γ, PReLU slope: no decay by default
    case bias         // BN β, linear bias: no decay by default
    case buffer       // BN running statistics: not trained, but saved
  }

  public let name: String
  public let shape: [Int]
  public let kind: Kind
  public let count: Int
  public let value: UnsafeMutablePointer<Float>
  public let grad: UnsafeMutablePointer<Float>
  /// Set by any op that wrote into `grad` since the last `zeroGrad`, so optimisers skip untouched ones.
  public internal(set) var touched = false

  public init(name: String, shape: [Int], kind: Kind, fill: Float = 0) {
    self.name = name
    self.shape = shape
    self.kind = kind
    count = shape.reduce(1, *)
    value = Buffer.allocate(count)
    value.initialize(repeating: fill, count: count)
    grad = Buffer.zeros(count)
  }

  deinit {
    Buffer.free(value)
    Buffer.free(grad)
  }

  public var values: [Float] {
    get { Array(UnsafeBufferPointer(start: value, count: count)) }
    set {
      precondition(newValue.count == count, "\(name): \(newValue.count) values for \(count)")
      newValue.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: count) }
    }
  }

  public var gradValues: [Float] { Array(UnsafeBufferPointer(start: grad, count: count)) }

  public func zeroGrad() {
    if touched { grad.update(repeating: 0, count: count) }
    touched = false
  }

  /// Kaiming-normal (fan-in, ReLU gain) as PyTorch's `kaiming_normal_(mode="fan_out")` uses for ResNets:
  /// std = sqrt(2 / fan_out) with fan_out = O·k·k of the full weight.
  public func initKaiming(fanOut: Bool = true, rng: inout RandomSource) {
    let fan = fanOut ? shape[0] * (shape.count == 4 ? shape[2] * shape[3] : 1) : count / shape[0]
    let std = (2.0 / Float(max(1, fan))).squareRoot()
    for i in 0..<count { value[i] = rng.nextGaussian() * std }
  }

  /// PyTorch's default Linear init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  public func initUniform(bound: Float, rng: inout RandomSource) {
    for i in 0..<count { value[i] = (rng.nextFloat() * 2 - 1) * bound }
  }
}
