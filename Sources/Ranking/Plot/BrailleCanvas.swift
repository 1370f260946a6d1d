/// One terminal cell of a braille plot: a 2 × 4 grid of dots drawn as the glyph U+2800 + `bits`.
public struct BrailleCell: Sendable, Equatable {
  /// Unicode braille dot bits: dots 1, 2, 3, 7 down the left column are 0x01, 0x02, 0x04, 0x40; dots
  /// 4, 5, 6, 8 down the right column are 0x08, 0x10, 0x20, 0x80.
  public var bits: UInt8 = 0
  /// How many points fell in this cell (several may share a dot).
  public var points: Int = 0
  /// The largest value plotted here, 0 when empty: the front-end's colour for the cell.
  public var value: Double = 0

  public var isEmpty: Bool { points == 0 }
  /// The braille glyph; an empty cell is the blank braille pattern U+2800.
  public var character: Character { Character(Unicode.Scalar(0x2800 + UInt32(bits))!) }

  /// `.` `:` `*` `#` for up to a quarter, half, three quarters, or more of `maxPoints`; space when empty.
  public func asciiCharacter(maxPoints: Int) -> Character {
    guard points > 0 else { return " " }
    let fraction = Double(points) / Double(max(1, maxPoints))
    return fraction <= 0.25 ? "." : fraction <= 0.5 ? ":" : fraction <= 0.75 ? "*" : "#"
  }
}

/// A grid of braille cells addressed in dots (2 per cell across, 4 down), for scatter plots in a terminal.
/// Pure data: no terminal code, so the Monitor can draw it with colours and tests can inspect bits.
public struct BrailleCanvas: Sendable, Equatable {
  public let width: Int
  public let height: Int
  /// Rows top to bottom, `width` cells each.
  public private(set) var cells: [[BrailleCell]]

  /// A canvas of `width` × `height` cells; non-positive sizes give an empty canvas.
  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: Array(repeating: BrailleCell(), count: self.width), count: self.height)
  }

  public var dotsWide: Int { 2 * width }
  public var dotsHigh: Int { 4 * height }

  /// The bit of the dot at `column` (0–1) and `row` (0–3, top first) inside a cell.
  public static func bit(column: Int, row: Int) -> UInt8 {
    let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
    let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
    return (column == 0 ? left : right)[row]
  }

  /// Sets the dot at (`dotX`, `dotY`), counted from the top-left; dots outside the canvas are ignored.
  public mutating func plot(dotX: Int, dotY: Int, value: Double) {
    guard dotX >= 0, dotY >= 0, dotX < dotsWide, dotY < dotsHigh else { return }
    let row = dotY / 4, column = dotX / 2
    cells[row][column].bits |= Self.bit(column: dotX % 2, row: dotY % 4)
    cells[row][column].points += 1
    cells[row][column].value = max(cells[row][column].value, value)
  }

  /// The most points in any one cell (the ASCII density scale).
  public var maxPoints: Int { cells.lazy.flatMap { $0 }.map(\.points).max() ?? 0 }

  public func brailleLines() -> [String] {
    cells.map { String($0.map(\.character)) }
  }

  public func asciiLines() -> [String] {
    let scale = maxPoints
    return cells.map { String($0.map { $0.asciiCharacter(maxPoints: scale) }) }
  }
}
