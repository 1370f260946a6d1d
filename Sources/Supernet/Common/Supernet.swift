import Common
import Engine
import Search

/// A weight-sharing network over a search space: every encoding of the space is a subnet that uses (slices
/// of) the same parameter store. A standalone network for one encoding is the same type built with exactly
/// that encoding's shapes.
public protocol Supernet: AnyObject {
  var space: any SearchSpace { get }
  var store: ParameterStore { get }
  /// The last feature map of the subnet `arch`, before global pooling.  x: [n, c, h, w] → [n, c', h', w']
  func features(_ t: Tape, _ x: Tensor, arch: Encoding) -> Tensor
  /// Logits from those features.  [n, c', h', w'] → [n, classes]
  func head(_ t: Tape, _ features: Tensor) -> Tensor
}

extension Supernet {
  /// Logits of the subnet `arch` for an NHWC batch.  x: [n, c, h, w] → [n, classes]
  public func logits(_ t: Tape, _ x: Tensor, arch: Encoding) -> Tensor {
    head(t, features(t, x, arch: arch))
  }
}

/// Which activation follows each residual add (the reference varies only this "outer" one; the inner
/// activation and the stem stay ReLU).
public enum OuterActivation: String, Codable, Sendable, CaseIterable {
  case relu, prelu, swish, mish
}

/// A standalone network (fixed encoding) seen as an ordinary classifier.
public final class FixedArchitecture: ImageClassifier {
  public let net: Supernet
  public let arch: Encoding
  public init(net: Supernet, arch: Encoding) { self.net = net; self.arch = arch }
  public var store: ParameterStore { net.store }
  public func logits(_ t: Tape, _ x: Tensor) -> Tensor { net.logits(t, x, arch: arch) }
}
