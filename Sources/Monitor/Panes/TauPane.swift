/// Pane 5: Kendall τ of the supernet's landmark ranking, the latest value large, the history as a chart.
enum TauPane {
  static func info(_ m: MonitorModel) -> String {
    guard let e = m.lastEvaluation else { return "" }
    return "step \(NumberFormat.grouped(e.step))"
  }

  static func tauStyle(_ v: Double) -> Style {
    v >= 0.5 ? .role(.good, bold: true) : v >= 0.2 ? .role(.warn, bold: true) : .role(.bad, bold: true)
  }

  static func draw(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) {
    let m = ctx.model
    guard let e = m.lastEvaluation, let head = m.headlineTau else {
      let n = m.landmarks?.archs.count
      PaneFrame.placeholder(n.map { "\($0) landmarks · waiting for the first evaluation" } ?? "waiting for the first evaluation",
                            in: rect, into: &buf)
      return
    }
    buf.text(head.label, x: rect.x, y: rect.y, style: .role(.dim))
    let epochText = "epoch \(e.epoch + 1)"
    if rect.width > head.label.count + epochText.count + 2 {
      buf.textRight(epochText, rightEdge: rect.maxX, y: rect.y, style: .role(.dim))
    }
    var y = rect.y + 1
    let big = NumberFormat.fixed(head.value, 3)
    let numberRect = Rect(x: rect.x + 1, y: y, width: rect.width - 1, height: min(3, rect.maxY - y))
    let used = BigNumber.draw(big, into: &buf, rect: numberRect, style: tauStyle(head.value))
    // Change since the previous evaluation, beside the number.
    let series = head.label.contains("(loss)") ? m.tauGroundTruthByLoss
      : head.label.hasSuffix("GT") ? m.tauGroundTruth : head.label.hasSuffix("proxy") ? m.tauProxy : m.tauPrevious
    let vals = series.lastValues(2)
    let numberWidth = used == 3 ? BigNumber.width(big) : big.count
    if vals.count == 2, rect.width - numberWidth - 3 >= 7 {
      let d = vals[1] - vals[0]
      let arrow = d >= 0 ? buf.glyphs.up : buf.glyphs.down
      buf.text("\(arrow) " + (d >= 0 ? "+" : "") + NumberFormat.fixed(d, 3), x: numberRect.x + numberWidth + 2,
               y: y + (used == 3 ? 1 : 0), style: d >= 0 ? .role(.good) : .role(.bad))
    }
    y += used
    guard y < rect.maxY else { return }
    // All three τ values, in their chart colours.
    let values = [("GT", e.tauGroundTruth), ("proxy", e.tauProxy), ("prev", e.tauPrevious), ("GT-loss", e.tauGroundTruthByLoss)]
      .enumerated()
      .compactMap { i, nv in nv.1.map { (i, nv.0, $0) } }
    func line(_ items: ArraySlice<(Int, String, Double)>, decimals: Int, short: Bool) -> [Span] {
      items.enumerated().flatMap { k, item in
        let name = short ? ["GT": "GT", "proxy": "px", "prev": "pv", "GT-loss": "GTl"][item.1] ?? item.1 : item.1
        return [Span((k > 0 ? (short ? " " : "  ") : "") + name + " ", .role(.dim)),
                Span(NumberFormat.fixed(item.2, decimals), .role(.series(item.0)))]
      }
    }
    func width(_ spans: [Span]) -> Int { spans.reduce(0) { $0 + $1.text.count } }
    // The widest form that fits on one row; else two rows when there is room; else the values that fit whole
    // (never a value cut in half).
    let all = values[...]
    let forms = [line(all, decimals: 3, short: false), line(all, decimals: 2, short: false), line(all, decimals: 2, short: true)]
    if let fit = forms.first(where: { width($0) <= rect.width }) {
      buf.spans(fit, x: rect.x, y: y, maxWidth: rect.width)
      y += 1
    } else {
      let half = (values.count + 1) / 2
      let rows = [line(all.prefix(half), decimals: 2, short: true), line(all.dropFirst(half), decimals: 2, short: true)]
      if rect.maxY - y >= 5, rows.allSatisfy({ width($0) <= rect.width }) {
        for r in rows { buf.spans(r, x: rect.x, y: y, maxWidth: rect.width); y += 1 }
      } else {
        var n = values.count
        while n > 1 && width(line(all.prefix(n), decimals: 2, short: true)) > rect.width { n -= 1 }
        buf.spans(line(all.prefix(n), decimals: 2, short: true), x: rect.x, y: y, maxWidth: rect.width)
        y += 1
      }
    }
    let rest = Rect(x: rect.x, y: y, width: rect.width, height: rect.maxY - y)
    if rest.height >= 3 {
      let all = [("GT", m.tauGroundTruth), ("proxy", m.tauProxy), ("prev", m.tauPrevious), ("GT-loss", m.tauGroundTruthByLoss)]
        .enumerated()
        .filter { !$0.element.1.isEmpty }
        .map { ChartSeries(name: $0.element.0, points: $0.element.1.points, paint: .role(.series($0.offset))) }
      var o = ChartOptions()
      o.envelope = false
      LineChart.draw(all, o, into: &buf, rect: rest)
    } else if rest.height >= 1 {
      Sparkline.draw(series.lastValues(rest.width), into: &buf, x: rest.x, y: rest.y, width: rest.width,
                     style: .role(.series(0)))
    }
  }
}
