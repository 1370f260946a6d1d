import Foundation

/// The ranking view (key `r`): the landmarks' current supernet rank against their prior rank or, when a
/// ground truth is known, their GT rank, as a braille scatter (previous evaluation faint, latest bright, the
/// selected landmark marked), a table sorted by current rank (score, prior, GT, change since the previous
/// evaluation), and the selected landmark's encoding, FLOPs/params and score history.
enum RankingView {
  /// Whether the scatter's x axis is the ground-truth rank (else the prior rank).
  static func againstGroundTruth(_ ctx: PaneContext) -> Bool {
    ctx.model.ranking.groundTruthRanks != nil && !ctx.view.rankingVsPrior
  }

  /// The landmark the details show: the chosen one, else the best-ranked.
  static func selected(_ m: MonitorModel, _ v: ViewState) -> Int? {
    let rows = m.ranking.rows
    if let s = v.rankingSelection, rows.contains(where: { $0.index == s }) { return s }
    return rows.first?.index
  }

  static func draw(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) {
    let r = ctx.model.ranking
    var info = ""
    if let e = r.latest {
      info = "eval \(r.evaluations.count) @ step \(NumberFormat.grouped(e.step)) · x: " + (againstGroundTruth(ctx) ? "GT rank" : "prior rank")
    }
    buf.box(rect, title: [Span("Ranking", .role(.title, bold: true)), Span(" · r close · ↑↓ select · o GT/prior", .role(.dim))],
            style: .role(.accent, bold: true))
    if !info.isEmpty, rect.width >= 60 + info.count / 2 {
      buf.textRight(" " + info + " ", rightEdge: rect.maxX - 2, y: rect.y, style: .role(.dim))
    }
    let inner = rect.inset(1)
    guard !inner.isEmpty else { return }
    guard !r.isEmpty else {
      PaneFrame.placeholder("no landmarks: rank tracking needs --proxy or --gt", in: inner, into: &buf)
      return
    }
    let g = geometry(rect)
    if let s = g.scatter { buf.withClip(s) { drawScatter(ctx, into: &$0, rect: s) } }
    if let d = g.details { buf.withClip(d) { drawDetails(ctx, into: &$0, rect: d) } }
    buf.withClip(g.table) { drawTable(ctx, into: &$0, rect: g.table) }
  }

  /// Scatter over details on the left, the table on the right (the table needs ~31 columns); the table alone
  /// when the view is too narrow for both.
  static func geometry(_ rect: Rect) -> (scatter: Rect?, details: Rect?, table: Rect) {
    let inner = rect.inset(1)
    let leftW = min(max(inner.width * 2 / 5, 20), inner.width - 32)
    guard leftW >= 16 else { return (nil, nil, inner) }
    let left = Rect(x: inner.x, y: inner.y, width: leftW, height: inner.height)
    let right = Rect(x: left.maxX + 1, y: inner.y, width: inner.maxX - left.maxX - 1, height: inner.height)
    let (scatter, details) = left.splitBottom(min(7, max(4, inner.height / 2)))
    return (scatter, details, right)
  }

  /// First row of the table on screen (the selection is kept visible).
  static func firstRow(_ m: MonitorModel, _ v: ViewState, visible: Int) -> Int {
    let rows = m.ranking.rows
    let sel = selected(m, v)
    let selPos = rows.firstIndex { $0.index == sel } ?? 0
    return PaneFrame.clampedOffset(max(0, selPos - visible + 1), count: rows.count, visible: visible)
  }

  /// The landmark whose table row is at screen row `y` of the view drawn in `rect`, if any.
  static func landmark(atRow y: Int, x: Int, _ m: MonitorModel, _ v: ViewState, rect: Rect) -> Int? {
    let table = geometry(rect).table
    guard table.contains(x: x, y: y), y > table.y else { return nil }
    let rows = m.ranking.rows
    let k = firstRow(m, v, visible: max(0, table.height - 1)) + (y - table.y - 1)
    return rows.indices.contains(k) ? rows[k].index : nil
  }

  /// Supernet rank (y, 1 at the top) against GT or prior rank (x, 1 at the left); the diagonal is agreement.
  static func drawScatter(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) {
    let r = ctx.model.ranking
    let gt = againstGroundTruth(ctx)
    let xRanks = gt ? (r.groundTruthRanks ?? r.priorRanks) : r.priorRanks
    let n = r.archs.count
    buf.text("supernet rank ↓ vs " + (gt ? "GT" : "prior") + " rank →", x: rect.x, y: rect.y, maxWidth: rect.width,
             style: .role(.dim))
    guard let latest = r.latest else {
      PaneFrame.placeholder("waiting for the first evaluation", in: rect.inset(top: 1), into: &buf)
      return
    }
    let labelW = String(n).count + 1
    let plot = Rect(x: rect.x + labelW, y: rect.y + 1, width: rect.width - labelW, height: rect.height - 2)
    guard plot.width >= 4, plot.height >= 2 else { return }
    buf.textRight("1", rightEdge: plot.x - 1, y: plot.y, style: .role(.dim))
    buf.textRight(String(n), rightEdge: plot.x - 1, y: plot.maxY - 1, style: .role(.dim))
    buf.text("1", x: plot.x, y: plot.maxY, style: .role(.dim))
    buf.textRight(String(n), rightEdge: plot.maxX, y: plot.maxY, style: .role(.dim))
    var c = DotCanvas(columns: plot.width, rows: plot.height, ascii: buf.glyphs.ascii)
    func dot(_ rank: Int, _ along: Int) -> (Int, Int) {
      let f = { (k: Int, size: Int) in n > 1 ? Int((Double(k - 1) / Double(n - 1) * Double(size - 1)).rounded()) : 0 }
      return (f(along, c.dotWidth), f(rank, c.dotHeight))
    }
    for k in 0..<max(c.dotWidth, c.dotHeight) {  // faint diagonal: where the two ranks agree
      let t = Double(k) / Double(max(1, max(c.dotWidth, c.dotHeight) - 1))
      guard k % 3 == 0 else { continue }
      c.set(Int((t * Double(c.dotWidth - 1)).rounded()), Int((t * Double(c.dotHeight - 1)).rounded()),
            paint: .role(.border), faint: true)
    }
    // Each landmark is a 2×2 block of dots so a single one stands out from the diagonal.
    func mark(_ d: (Int, Int), _ paint: Paint, faint: Bool) {
      for (ox, oy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
        c.set(min(d.0 + ox, c.dotWidth - 1), min(d.1 + oy, c.dotHeight - 1), paint: paint, faint: faint)
      }
    }
    if let prev = r.previous {
      for i in 0..<n { mark(dot(prev.ranks[i], xRanks[i]), .role(.dim), faint: true) }
    }
    for i in 0..<n { mark(dot(latest.ranks[i], xRanks[i]), .role(.accent), faint: false) }
    c.draw(into: &buf, x: plot.x, y: plot.y)
    if let s = selected(ctx.model, ctx.view) {
      let d = dot(latest.ranks[s], xRanks[s])
      buf.put(buf.glyphs.ascii ? "@" : "◆", x: plot.x + d.0 / c.dotsPerColumn, y: plot.y + d.1 / c.dotsPerRow,
              style: .role(.warn, bold: true))
    }
  }

  static func drawDetails(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) {
    let r = ctx.model.ranking
    guard let i = selected(ctx.model, ctx.view), r.archs.indices.contains(i) else { return }
    var y = rect.y
    let dim = Style.role(.dim), text = Style.role(.text)
    buf.text(String(repeating: buf.glyphs.horizontal, count: rect.width), x: rect.x, y: y, style: .role(.border))
    buf.spans([Span(" #\(i) ", .role(.warn, bold: true))], x: rect.x + 1, y: y)
    y += 1
    // The encoding coloured as in the other panes; when that is an abbreviation (NB201 ops, compact ResNet
    // codes), the full text follows, wrapped over up to three rows.
    let arch = r.archs[i]
    let coloured = ArchText.spans(arch, width: rect.width)
    buf.spans(coloured, x: rect.x, y: y, maxWidth: rect.width)
    y += 1
    if coloured.map(\.text).joined() != arch {
      var rest = Substring(arch)
      for _ in 0..<3 where !rest.isEmpty && y < rect.maxY - 2 {
        let line = rest.prefix(rect.width)
        buf.text(String(line), x: rect.x, y: y, style: dim)
        rest = rest.dropFirst(line.count)
        y += 1
      }
    }
    guard y < rect.maxY else { return }
    var cost = [Span]()
    if let f = r.flops, f.indices.contains(i) { cost += [Span("FLOPs ", dim), Span(NumberFormat.compact(f[i]) + "  ", text)] }
    if let p = r.params, p.indices.contains(i) { cost += [Span("params ", dim), Span(NumberFormat.compact(Double(p[i])) + "  ", text)] }
    if !(r.proxy == "flops" && r.flops != nil) && !(r.proxy == "params" && r.params != nil) {
      cost += [Span(r.proxy + " ", dim), Span(NumberFormat.compact(r.prior[i]), text)]
    }
    buf.spans(cost, x: rect.x, y: y, maxWidth: rect.width)
    y += 1
    guard y < rect.maxY else { return }
    let hist = r.scoreHistory(i)
    let label = "acc "
    buf.text(label, x: rect.x, y: y, style: dim)
    let last = hist.last.map { " " + NumberFormat.fixed($0, 3) } ?? ""
    let room = rect.width - label.count - last.count
    if room > 0 { Sparkline.draw(hist, into: &buf, x: rect.x + label.count, y: y, width: min(room, hist.count), style: .role(.accent)) }
    buf.text(last, x: rect.x + label.count + min(max(room, 0), hist.count), y: y, style: text)
    y += 1
    guard y < rect.maxY else { return }
    let ranks = r.rankHistory(i).suffix(8).map(String.init).joined(separator: " ")
    buf.spans([Span("rank ", dim), Span(ranks, text)], x: rect.x, y: y, maxWidth: rect.width)
  }

  /// Rows in current-rank order: rank, change, landmark, score, prior rank, GT rank.
  @discardableResult
  static func drawTable(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) -> ScrollInfo? {
    let r = ctx.model.ranking
    let rows = r.rows
    let hasGT = r.groundTruthRanks != nil
    let numW = max(3, String(rows.count).count + 1)
    let wide = rect.width >= 40
    // Columns, one space apart: rank, change, landmark, accuracy, [loss], prior rank, [GT rank].
    func line(_ rank: String, _ delta: String, _ id: String, _ acc: String, _ loss: String, _ prior: String,
              _ gt: String) -> (head: String, tail: String) {
      var tail = NumberFormat.pad(id, numW) + " " + NumberFormat.pad(acc, 6)
      if wide { tail += " " + NumberFormat.pad(loss, 6) }
      tail += " " + NumberFormat.pad(prior, max(5, numW + 1))
      if hasGT { tail += " " + NumberFormat.pad(gt, max(5, numW + 1)) }
      return (NumberFormat.pad(rank, numW + 1) + " " + NumberFormat.pad(delta, 3) + " ", tail)
    }
    let h = line("rank", "Δ", "#", "acc", "loss", "prior", "GT")
    buf.text(h.head + h.tail, x: rect.x, y: rect.y, maxWidth: rect.width, style: .role(.dim))
    let visible = max(0, rect.height - 1)
    let sel = selected(ctx.model, ctx.view)
    let first = firstRow(ctx.model, ctx.view, visible: visible)
    for (k, row) in rows.dropFirst(first).prefix(visible).enumerated() {
      let y = rect.y + 1 + k
      let chosen = row.index == sel
      let base: Style = chosen ? .role(.selection, reverse: true) : .role(.text)
      let (delta, dStyle): (String, Style) = {
        guard let c = row.change else { return ("·", .role(.dim)) }
        if c > 0 { return (String(buf.glyphs.up) + String(c), .role(.good)) }
        if c < 0 { return (String(buf.glyphs.down) + String(-c), .role(.bad)) }
        return ("=", .role(.dim))
      }()
      let l = line(r.latest == nil ? "–" : String(row.rank), delta, "#\(row.index)",
                   row.score.isFinite ? NumberFormat.fixed(row.score, 3) : "–", row.loss.map { NumberFormat.fixed($0, 3) } ?? "–",
                   String(row.priorRank), row.groundTruthRank.map(String.init) ?? "–")
      let rankPart = String(l.head.prefix(numW + 2)), deltaPart = String(l.head.dropFirst(numW + 2))
      var x = rect.x
      x += buf.text(rankPart, x: x, y: y, style: base)
      x += buf.text(deltaPart, x: x, y: y, style: chosen ? base : dStyle)
      buf.text(l.tail, x: x, y: y, maxWidth: rect.maxX - x, style: base)
    }
    return ScrollInfo(first: first, shown: min(visible, rows.count - first), total: rows.count)
  }
}
