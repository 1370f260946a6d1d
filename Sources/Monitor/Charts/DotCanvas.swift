/// A grid of sub-cell dots: 2×4 per cell drawn as braille (U+2800…U+28FF), or 1×3 per cell drawn with
/// ASCII marks (`'`, `-`, `_`) when Unicode is off. Each cell keeps the paint of the last dot set in it,
/// and whether it holds only "faint" dots (envelope shading), which it draws dimmed.
public struct DotCanvas: Sendable {
  public let columns: Int, rows: Int
  public let ascii: Bool
  public var dotsPerColumn: Int { ascii ? 1 : 2 }
  public var dotsPerRow: Int { ascii ? 3 : 4 }
  public var dotWidth: Int { columns * dotsPerColumn }
  public var dotHeight: Int { rows * dotsPerRow }

  private var bits: [UInt8]
  private var paint: [Paint]
  private var strong: [Bool]

  public init(columns: Int, rows: Int, ascii: Bool) {
    self.columns = max(0, columns); self.rows = max(0, rows); self.ascii = ascii
    bits = Array(repeating: 0, count: self.columns * self.rows)
    paint = Array(repeating: .none, count: self.columns * self.rows)
    strong = Array(repeating: false, count: self.columns * self.rows)
  }

  /// Braille bit of dot (column c in 0…1, row r in 0…3) within a cell, per the Unicode braille layout.
  /// Left column: 0x01 0x02 0x04 0x40; right column: 0x08 0x10 0x20 0x80 (top to bottom).
  @inline(__always)
  public static func brailleBit(column c: Int, row r: Int) -> UInt8 {
    if r == 3 { return c == 0 ? 0x40 : 0x80 }
    return UInt8(truncatingIfNeeded: (c == 0 ? 1 : 8) << r)
  }

  /// Sets the dot at (dx, dy), dy = 0 at the top. Out-of-range dots are ignored.
  public mutating func set(_ dx: Int, _ dy: Int, paint p: Paint, faint: Bool = false) {
    guard dx >= 0, dy >= 0, dx < dotWidth, dy < dotHeight else { return }
    let cx = dx / dotsPerColumn, cy = dy / dotsPerRow, i = cy * columns + cx
    let bit: UInt8 = ascii ? UInt8(1 << (dy % 3)) : DotCanvas.brailleBit(column: dx % 2, row: dy % 4)
    bits[i] |= bit
    if !faint || !strong[i] { paint[i] = p }
    if !faint { strong[i] = true }
  }

  /// A straight line between two dots (Bresenham), so steep segments leave no gaps.
  public mutating func line(from a: (Int, Int), to b: (Int, Int), paint p: Paint) {
    var (x0, y0) = a
    let (x1, y1) = b
    let dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1, dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1
    var err = dx + dy, guardCount = 0
    while guardCount < 100_000 {
      set(x0, y0, paint: p)
      if x0 == x1 && y0 == y1 { break }
      let e2 = 2 * err
      if e2 >= dy { err += dy; x0 += sx }
      if e2 <= dx { err += dx; y0 += sy }
      guardCount += 1
    }
  }

  /// A vertical run of faint dots (the min/max envelope of one column).
  public mutating func span(x: Int, from y0: Int, to y1: Int, paint p: Paint) {
    for y in min(y0, y1)...max(y0, y1) { set(x, y, paint: p, faint: true) }
  }

  public func isSet(_ dx: Int, _ dy: Int) -> Bool {
    guard dx >= 0, dy >= 0, dx < dotWidth, dy < dotHeight else { return false }
    let i = (dy / dotsPerRow) * columns + dx / dotsPerColumn
    let bit: UInt8 = ascii ? UInt8(1 << (dy % 3)) : DotCanvas.brailleBit(column: dx % 2, row: dy % 4)
    return bits[i] & bit != 0
  }

  /// The glyph of cell (cx, cy), or nil when it is empty.
  public func glyph(_ cx: Int, _ cy: Int) -> Character? {
    let b = bits[cy * columns + cx]
    guard b != 0 else { return nil }
    if !ascii { return Character(Unicode.Scalar(0x2800 + UInt32(b))!) }
    switch b {
    case 1: return "'"
    case 2: return "-"
    case 4: return "_"
    case 5: return ":"
    default: return "|"
    }
  }

  /// Copies the dots into `buffer` with the top-left cell at (x, y); empty cells are left untouched.
  public func draw(into buffer: inout ScreenBuffer, x: Int, y: Int) {
    for cy in 0..<rows {
      for cx in 0..<columns {
        guard let g = glyph(cx, cy) else { continue }
        let i = cy * columns + cx
        buffer.put(g, x: x + cx, y: y + cy, style: Style(fg: paint[i], dim: !strong[i]))
      }
    }
  }
}
