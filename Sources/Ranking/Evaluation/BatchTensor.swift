import Data
import Engine

extension Batch {
  /// The batch as an input tensor: Data already lays images out NHWC, the engine's activation layout,
  /// so this is a single copy.
  public func tensor() -> Tensor {
    Tensor(shape: Shape(count, channels, height, width), values: x)
  }
}
