import Common
import Engine
import Search
import Supernet

/// Networks the proxies run: a standalone net for one encoding, with fresh weights.
public enum ProxyNetworks {
  /// The standalone network of `arch` (exactly its layers and widths), initialised from `seed` as for
  /// training (Kaiming normal). ResNet nets use ReLU as the outer activation whatever the supernet uses:
  /// ZenScore's reference does so, and SynFlow and NASWOT are defined for ReLU networks.
  public static func standalone(arch: Encoding, space: any SearchSpace, seed: UInt64) throws -> any Supernet {
    try space.validate(arch)
    switch space {
    case let nb201 as NB201Space:
      return NB201Supernet(space: nb201, seed: seed, standalone: arch)
    case let resnet as ResNetSpace:
      return ResNetSupernet(standalone: arch, space: resnet, activation: .relu, seed: seed)
    default:
      throw RDNASError.badInput("zero-cost proxies: no network builder for search space '\(space.name)'")
    }
  }

  /// Input channels and side of the space's images (for the synthetic inputs of Zen and SynFlow).
  public static func inputGeometry(of space: any SearchSpace) throws -> (channels: Int, size: Int) {
    switch space {
    case let nb201 as NB201Space: return (nb201.config.inputChannels, nb201.config.inputSize)
    case let resnet as ResNetSpace: return (resnet.config.inputChannels, resnet.config.inputSize)
    default:
      throw RDNASError.badInput("zero-cost proxies: unknown input size for search space '\(space.name)'")
    }
  }

  /// The conv and linear weights (what the zero-cost-proxies reference sums over: `nn.Conv2d` and
  /// `nn.Linear` layers' `.weight`), excluding BN parameters, biases and running statistics.
  static func layerWeights(_ store: ParameterStore) -> [Parameter] {
    store.all.filter { $0.kind == .weight }
  }
}

extension RandomSource {
  /// A tensor of independent N(0, 1) values.
  mutating func gaussianTensor(_ shape: Shape) -> Tensor {
    let t = Tensor(shape: shape, requiresGrad: false)
    for i in 0..<shape.count { t.data[i] = nextGaussian() }
    return t
  }
}
