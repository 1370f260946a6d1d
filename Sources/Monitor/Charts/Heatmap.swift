/// A matrix drawn as coloured cells. With colour, each text cell shows two matrix rows (upper half block
/// in the upper value's ramp colour on the lower value's ramp background), which keeps cells square; without
/// colour, one matrix row per text row with the ASCII ramp ` .:-=+*#%@`.
public enum Heatmap {
  /// Ramp step (0…steps-1) of v within range; non-finite values map to 0.
  public static func rampIndex(_ v: Double, range: ClosedRange<Double>, steps: Int) -> Int {
    guard steps > 1, v.isFinite else { return 0 }
    let span = range.upperBound - range.lowerBound
    guard span > 0 else { return 0 }
    let f = min(max((v - range.lowerBound) / span, 0), 1)
    return min(steps - 1, Int(f * Double(steps - 1) + 0.5))
  }

  /// Nearest-neighbour index map from `n` source items to `m` slots (m may be larger or smaller than n).
  public static func resample(_ n: Int, to m: Int) -> [Int] {
    guard n > 0, m > 0 else { return [] }
    return (0..<m).map { min(n - 1, $0 * n / m) }
  }

  /// The cell width used for `cols` matrix columns in `width` cells: up to 3 per column when there is room.
  public static func cellWidth(columns: Int, width: Int) -> Int {
    guard columns > 0 else { return 1 }
    return max(1, min(3, width / columns))
  }

  /// Draws `matrix` (rows × cols) into `rect`; returns the rect actually covered.
  @discardableResult
  public static func draw(_ matrix: [[Double]], range: ClosedRange<Double>, into buf: inout ScreenBuffer,
                          rect: Rect, color: Bool, rampSteps: Int) -> Rect {
    let nRows = matrix.count, nCols = matrix.map(\.count).max() ?? 0
    guard nRows > 0, nCols > 0, !rect.isEmpty else { return .zero }
    let cw = cellWidth(columns: nCols, width: rect.width)
    let shownCols = min(rect.width / cw, nCols)
    let colMap = resample(nCols, to: shownCols)
    func value(_ r: Int, _ c: Int) -> Double { matrix[r].indices.contains(c) ? matrix[r][c] : .nan }
    if color && !buf.glyphs.ascii {
      let textRows = min(rect.height, (nRows + 1) / 2)
      let rowMap = resample(nRows, to: min(nRows, textRows * 2))
      for ty in 0..<textRows {
        let upper = 2 * ty < rowMap.count ? rowMap[2 * ty] : nil
        let lower = 2 * ty + 1 < rowMap.count ? rowMap[2 * ty + 1] : nil
        for (tx, c) in colMap.enumerated() {
          var style = Style()
          if let u = upper { style.fg = .role(.ramp(rampIndex(value(u, c), range: range, steps: rampSteps))) }
          if let l = lower { style.bg = .role(.ramp(rampIndex(value(l, c), range: range, steps: rampSteps))) }
          for k in 0..<cw { buf.put("▀", x: rect.x + tx * cw + k, y: rect.y + ty, style: style) }
        }
      }
      return Rect(x: rect.x, y: rect.y, width: shownCols * cw, height: textRows)
    }
    let shade = buf.glyphs.shade
    let rowMap = resample(nRows, to: min(nRows, rect.height))
    for (ty, r) in rowMap.enumerated() {
      for (tx, c) in colMap.enumerated() {
        let g = shade[rampIndex(value(r, c), range: range, steps: shade.count)]
        for k in 0..<cw { buf.put(g, x: rect.x + tx * cw + k, y: rect.y + ty, style: .plain) }
      }
    }
    return Rect(x: rect.x, y: rect.y, width: shownCols * cw, height: rowMap.count)
  }
}
