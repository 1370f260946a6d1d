/// Pane 1: the loss terms over steps (EMA, log-y, envelope), with the learning rate underneath when tall.
enum LossPane {
  static let lossKeys: [SeriesKey] = [.total, .largest, .smallest, .random, .kd, .rank]
  /// Without colour the series are told apart by glyph: total stays a dot line, the others are drawn with
  /// these marks (also in the legend).
  static let monochromeMarkers: [Character] = ["+", "x", "o", "*", "#"]

  static func marker(_ i: Int, _ ctx: PaneContext) -> Character? {
    guard !ctx.color, i > 0 else { return nil }
    return monochromeMarkers[(i - 1) % monochromeMarkers.count]
  }

  static func info(_ v: ViewState) -> String {
    var parts = [String]()
    if v.smoothing > 0 { parts.append("ema \(NumberFormat.compact(v.smoothing))") }
    if v.logY { parts.append("log") }
    if !v.envelope { parts.append("no env") }
    if v.xByEpoch { parts.append("epochs") }
    return parts.joined(separator: " · ")
  }

  static func chartOptions(_ ctx: PaneContext) -> ChartOptions {
    var o = ChartOptions()
    o.logY = ctx.view.logY
    o.smoothing = ctx.view.smoothing
    o.envelope = ctx.view.envelope
    o.stableAxes = true
    if ctx.view.xByEpoch, let spe = ctx.model.run?.stepsPerEpoch, spe > 0 {
      o.xScale = Double(spe); o.xUnit = "epoch"
    }
    return o
  }

  static func draw(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) {
    let m = ctx.model
    let present = lossKeys.enumerated().filter { !(m.series[$0.element]?.isEmpty ?? true) }
    guard !present.isEmpty else {
      PaneFrame.placeholder("waiting for the first step…", in: rect, into: &buf)
      return
    }
    // Legend: "● total 1.234" over at most two lines (short labels when the long ones do not fit); lr last.
    func legend(short: Bool) -> [[Span]] {
      var items: [[Span]] = present.map { i, key in
        let v = m.series[key]?.latest.map(NumberFormat.compact) ?? "–"
        return [Span(String(marker(i, ctx) ?? buf.glyphs.bullet), .role(.series(i), bold: marker(i, ctx) != nil)),
                Span(" \(short ? key.shortLabel : key.label) ", .role(.dim)),
                Span(v, .role(.text))]
      }
      if let lr = m.lr { items.append([Span("lr ", .role(.dim)), Span(NumberFormat.compact(lr), .role(.text))]) }
      return items
    }
    func rowsNeeded(_ items: [[Span]]) -> Int {
      var rows = 1, x = 0
      for item in items {
        let w = item.reduce(0) { $0 + $1.text.count }
        if x > 0, x + w > rect.width { rows += 1; x = 0 }
        x += w + 2
      }
      return rows
    }
    let maxRows = rect.height >= 8 ? 2 : 1
    var items = legend(short: false)
    if rowsNeeded(items) > maxRows { items = legend(short: true) }
    var y = rect.y, x = rect.x, legendRows = 1
    for item in items {
      let w = item.reduce(0) { $0 + $1.text.count }
      if x > rect.x, x + w > rect.maxX {
        guard legendRows < maxRows else { break }
        legendRows += 1; y += 1; x = rect.x
      }
      x += buf.spans(item, x: x, y: y, maxWidth: rect.maxX - x) + 2
    }
    var chartRect = rect.inset(top: legendRows)
    var lrRect: Rect? = nil
    if chartRect.height >= 18 {
      let split = chartRect.splitBottom(chartRect.height * 3 / 10)
      chartRect = split.rest; lrRect = split.bottom
    }
    let series = present.map { i, key in
      ChartSeries(name: key.label, points: m.series[key]?.points ?? [], paint: .role(.series(i)), marker: marker(i, ctx))
    }
    let o = chartOptions(ctx)
    LineChart.draw(series, o, into: &buf, rect: chartRect)
    if let r = lrRect, let lr = m.series[.lr], !lr.isEmpty {
      buf.text("learning rate", x: r.x, y: r.y, style: .role(.dim))
      var lo = o
      lo.smoothing = 0; lo.envelope = false; lo.logY = false
      LineChart.draw([ChartSeries(name: "lr", points: lr.points, paint: .role(.series(5)))], lo, into: &buf,
                     rect: r.inset(top: 1))
    }
  }
}
