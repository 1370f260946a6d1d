import Foundation

/// One plotted point: `y` is the value drawn as the line, `lo…hi` the raw range it summarises (equal to y
/// for a single sample, wider once old points are merged), drawn as the min/max envelope.
public struct ChartPoint: Sendable, Equatable {
  public var x: Double, y: Double, lo: Double, hi: Double
  public init(x: Double, y: Double, lo: Double? = nil, hi: Double? = nil) {
    self.x = x; self.y = y; self.lo = lo ?? y; self.hi = hi ?? y
  }
}

public struct ChartSeries: Sendable {
  public var name: String
  public var points: [ChartPoint]
  public var paint: Paint
  /// Drawn as this glyph, one per column, instead of a dot line: tells series apart without colour.
  public var marker: Character?
  public init(name: String, points: [ChartPoint], paint: Paint, marker: Character? = nil) {
    self.name = name; self.points = points; self.paint = paint; self.marker = marker
  }
}

public struct ChartOptions: Sendable, Equatable {
  public var logY = false
  /// TensorBoard-style EMA weight in 0…<1 (0 = raw).
  public var smoothing = 0.0
  /// Draw each series' min/max envelope as faint dots behind its line.
  public var envelope = true
  /// x labels are divided by this (steps per epoch when showing epochs).
  public var xScale = 1.0
  public var xUnit = "step"
  /// Fixed y range (in data units) instead of the automatic one.
  public var fixedRange: ClosedRange<Double>? = nil
  /// Round both axes outward to steps of a few percent of their span, so that a new point moves the axes (and
  /// with them every dot already drawn) only now and then: a growing chart then changes a few cells per
  /// point instead of all of them, which is what a slow link pays for.
  public var stableAxes = false
  public init() {}
}

/// A multi-series line chart drawn with braille dots at full terminal resolution (or ASCII marks), with a
/// y axis of compact labels on the left and the x extent underneath.
public enum LineChart {
  /// Debiased exponential moving average, as TensorBoard smooths scalars.
  public static func ema(_ ys: [Double], weight: Double) -> [Double] {
    let w = min(max(weight, 0), 0.999)
    guard w > 0 else { return ys }
    var last = 0.0, out = [Double](), k = 0
    out.reserveCapacity(ys.count)
    for y in ys {
      guard y.isFinite else { out.append(y); continue }
      k += 1
      last = last * w + (1 - w) * y
      out.append(last / (1 - pow(w, Double(k))))
    }
    return out
  }

  /// Maps a data value to plot space (log10 under log-y); nil when it cannot be drawn.
  public static func transform(_ v: Double, logY: Bool) -> Double? {
    guard v.isFinite else { return nil }
    if logY { return v > 0 ? log10(v) : nil }
    return v
  }

  /// The plotted y values of a series after smoothing (data units).
  public static func smoothed(_ s: ChartSeries, _ o: ChartOptions) -> [Double] {
    ema(s.points.map(\.y), weight: o.smoothing)
  }

  /// The y range in plot space covering every drawable line value (and envelope, when on); degenerate
  /// ranges are widened so a constant series sits mid-chart.
  public static func yRange(_ series: [ChartSeries], _ o: ChartOptions) -> ClosedRange<Double>? {
    if let f = o.fixedRange, let a = transform(f.lowerBound, logY: o.logY), let b = transform(f.upperBound, logY: o.logY),
       a < b { return a...b }
    var lo = Double.infinity, hi = -Double.infinity
    for s in series {
      let ys = smoothed(s, o)
      func include(_ v: Double) { if let t = transform(v, logY: o.logY) { lo = min(lo, t); hi = max(hi, t) } }
      for (i, p) in s.points.enumerated() {
        include(ys[i])
        if o.envelope, p.lo != p.hi { include(p.lo); include(p.hi) }
      }
    }
    guard lo.isFinite, hi.isFinite else { return nil }
    if hi - lo < 1e-12 {
      let pad = o.logY ? 0.5 : max(abs(lo) * 0.05, 0.5)
      return (lo - pad)...(hi + pad)
    }
    return lo...hi
  }

  public static func xRange(_ series: [ChartSeries]) -> ClosedRange<Double>? {
    let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
    guard let a = xs.min(), let b = xs.max() else { return nil }
    return a < b ? a...b : (a - 0.5)...(b + 0.5)
  }

  /// `r` widened outward to multiples of a 1-2-5 step near span/`divisions`: the rounded range changes only
  /// when the data crosses a step, by a few percent of the span at least. Spans below 0.1% of the values'
  /// magnitude count as that much, so float noise in a nearly flat series (the learning rate) does not
  /// rescale the chart at every point.
  public static func stable(_ r: ClosedRange<Double>, divisions: Double) -> ClosedRange<Double> {
    let magnitude = max(abs(r.lowerBound), abs(r.upperBound))
    let span = max(r.upperBound - r.lowerBound, magnitude * 1e-3)
    guard span > 0, span.isFinite, divisions > 0 else { return r }
    let step = niceStep(span / divisions)
    let lo = (r.lowerBound / step).rounded(.down) * step
    var hi = (r.upperBound / step).rounded(.up) * step
    if hi <= lo { hi = lo + step }
    return lo...hi
  }

  /// The 1, 2 or 5 × 10^k not below `v`.
  public static func niceStep(_ v: Double) -> Double {
    guard v > 0, v.isFinite else { return 1 }
    let p = pow(10, floor(log10(v)))
    let f = v / p
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p
  }

  /// Dot row of a plot-space value (0 = top).
  public static func dotRow(_ t: Double, range: ClosedRange<Double>, dotHeight: Int) -> Int {
    let f = (range.upperBound - t) / (range.upperBound - range.lowerBound)
    return Int((f * Double(dotHeight - 1)).rounded())
  }

  public static func dotColumn(_ x: Double, range: ClosedRange<Double>, dotWidth: Int) -> Int {
    let f = (x - range.lowerBound) / (range.upperBound - range.lowerBound)
    return Int((f * Double(dotWidth - 1)).rounded())
  }

  /// Plots the series into a canvas of the given size (no axes); exposed for tests of dot placement.
  public static func canvas(_ series: [ChartSeries], _ o: ChartOptions, columns: Int, rows: Int, ascii: Bool,
                            yRange: ClosedRange<Double>, xRange: ClosedRange<Double>) -> DotCanvas {
    var c = DotCanvas(columns: columns, rows: rows, ascii: ascii)
    guard c.dotWidth > 0, c.dotHeight > 0 else { return c }
    for s in series where s.marker == nil {
      let ys = smoothed(s, o)
      if o.envelope {
        for p in s.points {
          guard let a = transform(p.lo, logY: o.logY), let b = transform(p.hi, logY: o.logY), a != b else { continue }
          let x = dotColumn(p.x, range: xRange, dotWidth: c.dotWidth)
          c.span(x: x, from: dotRow(a, range: yRange, dotHeight: c.dotHeight),
                 to: dotRow(b, range: yRange, dotHeight: c.dotHeight), paint: s.paint)
        }
      }
      var prev: (Int, Int)? = nil
      for (i, p) in s.points.enumerated() {
        guard let t = transform(ys[i], logY: o.logY) else { prev = nil; continue }
        let d = (dotColumn(p.x, range: xRange, dotWidth: c.dotWidth), dotRow(t, range: yRange, dotHeight: c.dotHeight))
        if let q = prev { c.line(from: q, to: d, paint: s.paint) } else { c.set(d.0, d.1, paint: s.paint) }
        prev = d
      }
    }
    return c
  }

  /// A marker series: at each column, its glyph at the row of the last (smoothed) value falling there.
  static func drawMarkers(_ s: ChartSeries, _ m: Character, _ o: ChartOptions, into buf: inout ScreenBuffer, plot: Rect,
                          canvas c: DotCanvas, yRange: ClosedRange<Double>, xRange: ClosedRange<Double>) {
    guard c.dotWidth > 0, c.dotHeight > 0 else { return }
    let ys = smoothed(s, o)
    var rowAt = [Int: Int]()
    for (i, p) in s.points.enumerated() {
      guard let t = transform(ys[i], logY: o.logY) else { continue }
      let col = dotColumn(p.x, range: xRange, dotWidth: c.dotWidth) / c.dotsPerColumn
      rowAt[col] = dotRow(t, range: yRange, dotHeight: c.dotHeight) / c.dotsPerRow
    }
    for (col, row) in rowAt { buf.put(m, x: plot.x + col, y: plot.y + row, style: Style(fg: s.paint, bold: true)) }
  }

  /// Draws the chart with axes into `rect`.
  public static func draw(_ series: [ChartSeries], _ o: ChartOptions, into buf: inout ScreenBuffer, rect: Rect) {
    guard rect.width >= 8, rect.height >= 3 else { return }
    let dimStyle = Style.role(.dim)
    guard var yr = yRange(series, o), var xr = xRange(series) else {
      buf.textCentered("no data yet", in: rect, y: rect.y + rect.height / 2, style: dimStyle)
      return
    }
    if o.stableAxes {
      if o.fixedRange == nil { yr = stable(yr, divisions: 10) }
      xr = stable(xr, divisions: 8)
    }
    let plotRows = rect.height - 1
    let label: (Double) -> String = { NumberFormat.compact(o.logY ? pow(10, $0) : $0) }
    // One label every ~3 rows, always top and bottom.
    var tickRows = [0]
    if plotRows > 1 {
      let step = max(3, plotRows / 4)
      var r = step
      while r < plotRows - 2 { tickRows.append(r); r += step }
      tickRows.append(plotRows - 1)
    }
    let tickValues = tickRows.map { r in
      yr.upperBound - (yr.upperBound - yr.lowerBound) * (plotRows > 1 ? Double(r) / Double(plotRows - 1) : 0)
    }
    let labels = tickValues.map(label)
    let gutter = min((labels.map(\.count).max() ?? 1) + 1, rect.width / 3)
    let plot = Rect(x: rect.x + gutter, y: rect.y, width: rect.width - gutter, height: plotRows)
    for (r, text) in zip(tickRows, labels) {
      buf.textRight(text, rightEdge: plot.x - 1, y: plot.y + r, style: dimStyle)
      buf.put(buf.glyphs.ascii ? "+" : "┤", x: plot.x - 1, y: plot.y + r, style: .role(.border))
    }
    for r in 0..<plotRows where !tickRows.contains(r) {
      buf.put(buf.glyphs.vertical, x: plot.x - 1, y: plot.y + r, style: .role(.border))
    }
    let c = canvas(series, o, columns: plot.width, rows: plot.height, ascii: buf.glyphs.ascii,
                   yRange: yr, xRange: xr)
    buf.withClip(plot) { b in
      c.draw(into: &b, x: plot.x, y: plot.y)
      for s in series { if let m = s.marker { drawMarkers(s, m, o, into: &b, plot: plot, canvas: c, yRange: yr, xRange: xr) } }
    }
    // x axis: first and last x, unit in the middle.
    let xy = rect.maxY - 1
    // Merged buckets sit at fractional mean steps; steps read better as whole numbers.
    let xLabel: (Double) -> String = { x in NumberFormat.compact(o.xScale == 1 ? x.rounded() : x / o.xScale) }
    let first = xLabel(xr.lowerBound), last = xLabel(xr.upperBound)
    buf.text(first, x: plot.x, y: xy, style: dimStyle)
    buf.textRight(last, rightEdge: plot.maxX, y: xy, style: dimStyle)
    let unit = o.logY ? "\(o.xUnit) · log y" : o.xUnit
    if plot.width > first.count + last.count + unit.count + 4 {
      buf.textCentered(unit, in: plot, y: xy, style: dimStyle)
    }
  }
}
