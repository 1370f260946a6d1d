/// Logical shape of an activation: `[n, c, h, w]` for feature maps (stored NHWC) or `[n, f]` for
/// vectors (row-major; `h = w = 1`). A scalar loss is `[1, 1]`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
  public let n: Int, c: Int, h: Int, w: Int
  public let rank: Int

  public init(_ n: Int, _ c: Int, _ h: Int, _ w: Int) {
    self.n = n; self.c = c; self.h = h; self.w = w; rank = 4
  }

  public init(_ n: Int, _ f: Int) {
    self.n = n; c = f; h = 1; w = 1; rank = 2
  }

  public static let scalar = Shape(1, 1)
  public var count: Int { n * c * h * w }
  public var spatial: Int { h * w }
  public var description: String { rank == 4 ? "[\(n), \(c), \(h), \(w)]" : "[\(n), \(c)]" }

  public func with(c: Int) -> Shape { rank == 4 ? Shape(n, c, h, w) : Shape(n, c) }
}
