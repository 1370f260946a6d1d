/// One-row trend of the last values (▁▂▃▄▅▆▇█), scaled to their own min…max or a given range.
public enum Sparkline {
  /// The glyph index (0…steps-1) of each value; constant input maps to the middle step.
  public static func levels(_ values: [Double], steps: Int, range: ClosedRange<Double>? = nil) -> [Int] {
    let finite = values.filter(\.isFinite)
    guard steps > 0, let lo = range?.lowerBound ?? finite.min(), let hi = range?.upperBound ?? finite.max() else {
      return values.map { _ in 0 }
    }
    return values.map { v in
      guard v.isFinite else { return 0 }
      if hi - lo < 1e-12 { return steps / 2 }
      let f = min(max((v - lo) / (hi - lo), 0), 1)
      return min(steps - 1, Int(f * Double(steps - 1) + 0.5))
    }
  }

  /// Draws the last `width` values right-aligned at (x, y).
  public static func draw(_ values: [Double], into buf: inout ScreenBuffer, x: Int, y: Int, width: Int,
                          style: Style, range: ClosedRange<Double>? = nil) {
    guard width > 0 else { return }
    let tail = Array(values.suffix(width))
    let glyphs = buf.glyphs.spark
    let lv = levels(tail, steps: glyphs.count, range: range)
    let start = x + width - tail.count
    for (i, l) in lv.enumerated() { buf.put(glyphs[l], x: start + i, y: y, style: style) }
  }
}

/// A number drawn three rows tall with half-block glyphs, so the latest τ reads from across the room.
public enum BigNumber {
  /// 3×5 pixel glyphs, rows top to bottom, `#` = lit.
  static let font: [Character: [String]] = [
    "0": ["###", "#.#", "#.#", "#.#", "###"], "1": [".#.", "##.", ".#.", ".#.", "###"],
    "2": ["###", "..#", "###", "#..", "###"], "3": ["###", "..#", "###", "..#", "###"],
    "4": ["#.#", "#.#", "###", "..#", "..#"], "5": ["###", "#..", "###", "..#", "###"],
    "6": ["###", "#..", "###", "#.#", "###"], "7": ["###", "..#", "..#", "..#", "..#"],
    "8": ["###", "#.#", "###", "#.#", "###"], "9": ["###", "#.#", "###", "..#", "###"],
    "-": ["...", "...", "###", "...", "..."], ".": [".", ".", ".", ".", "#"],
    "+": ["...", ".#.", "###", ".#.", "..."],
  ]

  /// Width in cells of `text` in the big font (glyphs separated by one blank column).
  public static func width(_ text: String) -> Int {
    let ws = text.map { font[$0]?.first?.count ?? 3 }
    return ws.reduce(0, +) + max(0, ws.count - 1)
  }

  /// The three text rows of `text` (pairs of pixel rows folded into ▀ ▄ █).
  public static func rows(_ text: String) -> [String] {
    var out = ["", "", ""]
    for (k, ch) in text.enumerated() {
      let g = font[ch] ?? ["...", "...", "...", "...", "..."]
      let px = g.map { Array($0) } + [Array(repeating: Character("."), count: g[0].count)]
      for r in 0..<3 {
        if k > 0 { out[r].append(" ") }
        for c in 0..<px[0].count {
          let top = px[2 * r][c] == "#", bottom = px[2 * r + 1][c] == "#"
          out[r].append(top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ")
        }
      }
    }
    return out
  }

  /// Draws `text` big when it fits in `rect` (and Unicode is on), else as one bold line; returns rows used.
  @discardableResult
  public static func draw(_ text: String, into buf: inout ScreenBuffer, rect: Rect, style: Style) -> Int {
    if !buf.glyphs.ascii, rect.height >= 3, width(text) <= rect.width {
      for (i, line) in rows(text).enumerated() { buf.text(line, x: rect.x, y: rect.y + i, style: style) }
      return 3
    }
    buf.text(text, x: rect.x, y: rect.y, maxWidth: rect.width, style: style.with(bold: true))
    return 1
  }
}
