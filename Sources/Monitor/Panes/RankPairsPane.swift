/// Pane 3: recent rank-loss pairs (priors, losses, agreement, hinge) and the running concordant fraction.
enum RankPairsPane {
  static func info(_ m: MonitorModel) -> String {
    guard let l = m.lambda else { return "" }
    return "λ \(NumberFormat.compact(l))"
  }

  static func fractionStyle(_ f: Double) -> Style {
    f >= 0.7 ? .role(.good, bold: true) : f >= 0.5 ? .role(.warn, bold: true) : .role(.bad, bold: true)
  }

  @discardableResult
  static func draw(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) -> ScrollInfo? {
    let m = ctx.model
    guard let frac = m.concordantFraction else {
      let why = m.run.map { $0.proxy == nil ? "rank distillation is off" : "no rank pairs yet" } ?? "no rank pairs yet"
      PaneFrame.placeholder(why, in: rect, into: &buf)
      return nil
    }
    let pct = NumberFormat.fixed(frac * 100, 1) + "%"
    var summary = [Span("concordant ", .role(.dim)), Span(pct, fractionStyle(frac)),
                   Span(" of \(NumberFormat.grouped(m.pairCount))", .role(.dim))]
    if let p = m.proxy, rect.width >= 34 { summary.append(Span("  prior \(p)", .role(.dim))) }
    buf.spans(summary, x: rect.x, y: rect.y, maxWidth: rect.width)
    let items = m.pairs.newestFirst
    let w = rect.width
    let showStep = w >= 40, showLambda = w >= 50
    let visible = max(0, rect.height - 2)
    let first = PaneFrame.clampedOffset(ctx.view.scrollOffset(.pairs), count: items.count, visible: visible)
    let shown = Array(items.dropFirst(first).prefix(visible))
    let stepW = max(4, String(shown.map(\.step).max() ?? 0).count)
    func center(_ t: String, _ n: Int) -> String {
      let l = max(0, (n - t.count) / 2)
      return (String(repeating: " ", count: l) + t).padding(toLength: n, withPad: " ", startingAt: 0)
    }
    func left(_ t: String, _ n: Int) -> String { t.count >= n ? t : t.padding(toLength: n, withPad: " ", startingAt: 0) }
    let pad = NumberFormat.pad
    // Columns: mark, prior a, order, prior b, loss a, order, loss b, hinge [, λ].
    // Below 29 columns (a 60×16 terminal) the hinge column goes and the numbers lose their padding, so the
    // two comparisons, which are the point of the pane, still fit whole.
    let narrow = w < 29
    var header = showStep ? pad("step", stepW) + " " : ""
    header += narrow ? "  prior  loss" : "  " + center("prior", 11) + " " + center("loss", 9) + " " + pad("hinge", 5)
    if showLambda { header += " " + pad("λ", 5) }
    if visible > 0 { buf.text(header, x: rect.x, y: rect.y + 1, maxWidth: w, style: .role(.dim)) }
    for (i, p) in shown.enumerated() {
      let y = rect.y + 2 + i
      var row = [Span]()
      if showStep { row.append(Span(pad(String(p.step), stepW) + " ", .role(.dim))) }
      row.append(p.concordant ? Span(String(buf.glyphs.check) + " ", .role(.good))
                              : Span(String(buf.glyphs.cross) + " ", .role(.bad)))
      let priorCmp = p.priorA > p.priorB ? ">" : p.priorA < p.priorB ? "<" : "="
      let lossCmp = p.lossA > p.lossB ? ">" : p.lossA < p.lossB ? "<" : "="
      let numW = narrow ? 0 : 5, lossW = narrow ? 0 : 4
      row.append(Span(pad(NumberFormat.compact(p.priorA), numW), .role(.text)))
      row.append(Span(priorCmp, .role(.accent)))
      row.append(Span(left(NumberFormat.compact(p.priorB), numW) + " ", .role(.text)))
      row.append(Span(pad(NumberFormat.fixed(p.lossA, 2), lossW), .role(.text)))
      row.append(Span(lossCmp, p.concordant ? .role(.good) : .role(.bad)))
      row.append(Span(left(NumberFormat.fixed(p.lossB, 2), lossW) + (narrow ? "" : " "), .role(.text)))
      if !narrow { row.append(Span(pad(NumberFormat.fixed(p.hinge, 3), 5), p.hinge > 0 ? .role(.warn) : .role(.dim))) }
      if showLambda { row.append(Span(" " + pad(NumberFormat.compact(p.lambda), 5), .role(.dim))) }
      buf.spans(row, x: rect.x, y: y, maxWidth: w)
    }
    return ScrollInfo(first: first, shown: shown.count, total: items.count)
  }
}
