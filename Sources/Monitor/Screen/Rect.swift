/// A rectangle of terminal cells; all layout is expressed in these so panes never need to know the screen size.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
  public var x: Int, y: Int, width: Int, height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
  }

  public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)
  public var maxX: Int { x + width }
  public var maxY: Int { y + height }
  public var isEmpty: Bool { width <= 0 || height <= 0 }
  public var description: String { "(\(x),\(y) \(width)×\(height))" }

  public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

  /// Shrinks every side by `d` cells (a box's interior is `inset(1)`).
  public func inset(_ d: Int) -> Rect { inset(left: d, top: d, right: d, bottom: d) }

  public func inset(left: Int = 0, top: Int = 0, right: Int = 0, bottom: Int = 0) -> Rect {
    Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
  }

  public func intersection(_ o: Rect) -> Rect {
    let x0 = max(x, o.x), y0 = max(y, o.y), x1 = min(maxX, o.maxX), y1 = min(maxY, o.maxY)
    return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
  }

  /// Splits into a top part of `rows` rows (clamped) and the rest.
  public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
    let r = min(max(rows, 0), height)
    return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
  }

  /// Splits into a bottom part of `rows` rows (clamped) and the rest above it.
  public func splitBottom(_ rows: Int) -> (rest: Rect, bottom: Rect) {
    let r = min(max(rows, 0), height)
    return (Rect(x: x, y: y, width: width, height: height - r), Rect(x: x, y: maxY - r, width: width, height: r))
  }

  /// Splits the width by weights; rounding leftovers go to the last column so the parts tile exactly.
  public func columns(_ weights: [Double]) -> [Rect] {
    tile(weights, total: width).map { Rect(x: x + $0.offset, y: y, width: $0.size, height: height) }
  }

  /// Splits the height by weights, tiling exactly like `columns`.
  public func rows(_ weights: [Double]) -> [Rect] {
    tile(weights, total: height).map { Rect(x: x, y: y + $0.offset, width: width, height: $0.size) }
  }

  /// Centres a rectangle of at most the given size inside this one.
  public func centered(width w: Int, height h: Int) -> Rect {
    let cw = min(w, width), ch = min(h, height)
    return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
  }

  private func tile(_ weights: [Double], total: Int) -> [(offset: Int, size: Int)] {
    let sum = weights.reduce(0, +)
    guard sum > 0, !weights.isEmpty else { return [] }
    var out = [(offset: Int, size: Int)](), acc = 0.0, prev = 0
    for (i, w) in weights.enumerated() {
      acc += w
      let edge = i == weights.count - 1 ? total : Int((acc / sum * Double(total)).rounded())
      out.append((prev, max(0, edge - prev)))
      prev = max(prev, edge)
    }
    return out
  }
}
