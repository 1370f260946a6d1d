import Common

/// A convolution's full (supernet-sized) weight `[outMax, inMax, k, k]`, registered as `prefix.weight`
/// and initialised like torchvision's ResNets (Kaiming normal, fan-out).
public struct ConvLayer: @unchecked Sendable {
  public let weight: Parameter
  public let kernel: Int
  public let stride: Int

  public init(_ prefix: String, in inMax: Int, out outMax: Int, kernel: Int, stride: Int = 1,
              store: ParameterStore, rng: inout RandomSource) {
    weight = store.add(Parameter(name: "\(prefix).weight", shape: [outMax, inMax, kernel, kernel], kind: .weight))
    weight.initKaiming(rng: &rng)
    self.kernel = kernel
    self.stride = stride
  }

  public var maxOut: Int { weight.shape[0] }
  public var maxIn: Int { weight.shape[1] }

  /// Applies the slice `[out, x.c]`.
  public func callAsFunction(_ t: Tape, _ x: Tensor, out: Int? = nil) -> Tensor {
    t.conv2d(x, weight, outChannels: out ?? maxOut, kernel: kernel, stride: stride)
  }
}

/// A linear layer's full weight `[outMax, inMax]` and bias, PyTorch's default initialisation.
public struct LinearLayer: @unchecked Sendable {
  public let weight: Parameter
  public let bias: Parameter

  public init(_ prefix: String, in inMax: Int, out outMax: Int, store: ParameterStore, rng: inout RandomSource) {
    weight = store.add(Parameter(name: "\(prefix).weight", shape: [outMax, inMax], kind: .weight))
    bias = store.add(Parameter(name: "\(prefix).bias", shape: [outMax], kind: .bias))
    let bound = 1 / Float(inMax).squareRoot()
    weight.initUniform(bound: bound, rng: &rng)
    bias.initUniform(bound: bound, rng: &rng)
  }

  public func callAsFunction(_ t: Tape, _ x: Tensor, out: Int? = nil) -> Tensor {
    t.linear(x, weight, bias: bias, outFeatures: out ?? weight.shape[0])
  }
}

extension BatchNormParams {
  public func callAsFunction(_ t: Tape, _ x: Tensor) -> Tensor { t.batchNorm(x, self) }
  /// relu(self(x)), fused.
  public func relu(_ t: Tape, _ x: Tensor) -> Tensor { t.batchNormReLU(x, self) }
}
