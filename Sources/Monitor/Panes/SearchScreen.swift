/// The screen of an architecture search (`rdnas search`, or `rdnas monitor <run>/search/<name>`): the
/// Pareto scatter of every evaluated architecture (MFLOPs across, score up; the generation being scored
/// highlighted, the front marked), the best-so-far table and the generations so far. Replaces the training
/// panes when the events are a search's.
enum SearchScreen {
  static func draw(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) {
    guard let s = ctx.model.search else { return }
    let cols = rect.width >= 100 ? rect.columns([0.55, 0.45]) : rect.columns([0.5, 0.5])
    let right = cols[1].rows([0.62, 0.38])
    let scatter = cols[0], table = right[0], history = right[1]
    let front = s.front
    let info = "front \(front.count) of \(s.points.count)"
    drawBox("Pareto: MFLOPs → " + scoreName(s), info: info, rect: scatter, into: &buf) { b, r in
      drawScatter(s, front: front, into: &b, rect: r)
    }
    drawBox("Best so far", info: s.method.map { "\($0) · \(s.space ?? "")" } ?? "", rect: table, into: &buf) { b, r in
      drawBest(s, front: front, into: &b, rect: r)
    }
    let g = s.plannedGenerations.map { "\(s.completedGenerations)/\($0)" } ?? "\(s.completedGenerations)"
    drawBox("Generations", info: g, rect: history, into: &buf) { b, r in drawGenerations(s, into: &b, rect: r) }
  }

  static func scoreName(_ s: SearchProgress) -> String { s.scoreIsLoss ? "−loss" : "accuracy" }

  /// A score as shown: accuracies as percentages, −loss as it is.
  static func format(_ score: Double, _ s: SearchProgress) -> String {
    s.scoreIsLoss ? NumberFormat.fixed(score, 4) : NumberFormat.fixed(score * 100, 2)
  }

  static func drawBox(_ title: String, info: String, rect: Rect, into buf: inout ScreenBuffer,
                      _ body: (inout ScreenBuffer, Rect) -> Void) {
    guard rect.width >= 4, rect.height >= 3 else { return }
    buf.box(rect, title: [Span(" " + title, .role(.title))], style: .role(.border))
    if !info.isEmpty, rect.width - title.count - 8 >= info.count {
      buf.textRight(" " + info + " ", rightEdge: rect.maxX - 2, y: rect.y, style: .role(.dim))
    }
    let inner = rect.inset(1)
    guard !inner.isEmpty else { return }
    buf.withClip(inner) { body(&$0, inner) }
  }

  static func drawScatter(_ s: SearchProgress, front: [SearchProgress.Point], into buf: inout ScreenBuffer, rect: Rect) {
    guard !s.points.isEmpty else {
      PaneFrame.placeholder(s.isFinished ? "nothing was evaluated" : "waiting for the first candidate", in: rect, into: &buf)
      return
    }
    let flops = s.points.map { $0.flops / 1e6 }, scores = s.points.map(\.score)
    let (x0, x1) = padded(flops.min()!, flops.max()!), (y0, y1) = padded(scores.min()!, scores.max()!)
    let yTop = format(y1, s), yBottom = format(y0, s)
    let labelW = max(yTop.count, yBottom.count) + 1
    let plot = Rect(x: rect.x + labelW, y: rect.y, width: rect.width - labelW, height: rect.height - 1)
    guard plot.width >= 4, plot.height >= 2 else { return }
    buf.textRight(yTop, rightEdge: plot.x - 1, y: plot.y, style: .role(.dim))
    buf.textRight(yBottom, rightEdge: plot.x - 1, y: plot.maxY - 1, style: .role(.dim))
    buf.text(NumberFormat.compact(x0), x: plot.x, y: plot.maxY, style: .role(.dim))
    let legend = buf.glyphs.ascii ? "o front  + gen \(s.currentGeneration)" : "● front  ◆ gen \(s.currentGeneration)"
    if plot.width > legend.count + 16 {
      buf.textCentered(legend, in: Rect(x: plot.x, y: plot.maxY, width: plot.width, height: 1), y: plot.maxY, style: .role(.dim))
    }
    buf.textRight(NumberFormat.compact(x1) + "M", rightEdge: plot.maxX, y: plot.maxY, style: .role(.dim))
    var c = DotCanvas(columns: plot.width, rows: plot.height, ascii: buf.glyphs.ascii)
    func dot(_ p: SearchProgress.Point) -> (Int, Int) {
      let fx = (p.flops / 1e6 - x0) / (x1 - x0), fy = (y1 - p.score) / (y1 - y0)
      return (Int((fx * Double(c.dotWidth - 1)).rounded()), Int((fy * Double(c.dotHeight - 1)).rounded()))
    }
    // Older generations faint, then the generation being scored, then the front on top.
    let current = s.currentGeneration
    for p in s.points where p.generation != current { let d = dot(p); c.set(d.0, d.1, paint: .role(.dim), faint: true) }
    for p in s.points where p.generation == current { let d = dot(p); c.set(d.0, d.1, paint: .role(.accent)) }
    var previous: (Int, Int)?
    for p in front {
      let d = dot(p)
      if let a = previous { c.line(from: a, to: (d.0, a.1), paint: .role(.good)) }  // the front's staircase
      c.set(d.0, d.1, paint: .role(.good))
      previous = d
    }
    c.draw(into: &buf, x: plot.x, y: plot.y)
    // Cell markers over the dots: the front, and the newest generation's points (drawn last: what moves).
    for p in front {
      let d = dot(p)
      buf.put(buf.glyphs.ascii ? "o" : "●", x: plot.x + d.0 / c.dotsPerColumn, y: plot.y + d.1 / c.dotsPerRow,
              style: .role(.good, bold: true))
    }
    for p in s.points where p.generation == current {
      let d = dot(p)
      buf.put(buf.glyphs.ascii ? "+" : "◆", x: plot.x + d.0 / c.dotsPerColumn, y: plot.y + d.1 / c.dotsPerRow,
              style: .role(.accent, bold: true))
    }
  }

  /// An axis range with a little room on both sides (and some width when every value is equal).
  static func padded(_ lo: Double, _ hi: Double) -> (Double, Double) {
    let span = hi - lo
    if span <= 0 || !span.isFinite { let d = max(abs(lo) * 0.01, 1e-6); return (lo - d, hi + d) }
    return (lo - 0.03 * span, hi + 0.03 * span)
  }

  static func drawBest(_ s: SearchProgress, front: [SearchProgress.Point], into buf: inout ScreenBuffer, rect: Rect) {
    guard rect.height >= 2 else { return }
    let rows = s.best(max(0, rect.height - 1))
    guard !rows.isEmpty else { PaneFrame.placeholder("no candidate yet", in: rect, into: &buf); return }
    let onFront = Set(front.map(\.arch))
    let scoreW = max(6, rows.map { format($0.score, s).count }.max() ?? 6)
    func cells(_ rank: String, _ score: String, _ mflops: String, _ gen: String) -> String {
      NumberFormat.pad(rank, 3) + " " + NumberFormat.pad(score, scoreW) + " " + NumberFormat.pad(mflops, 7) + " "
        + NumberFormat.pad(gen, 3) + " "
    }
    let head = cells("#", s.scoreIsLoss ? "−loss" : "acc %", "MFLOPs", "gen")
    buf.text(head + "arch", x: rect.x, y: rect.y, maxWidth: rect.width, style: .role(.dim))
    for (k, p) in rows.enumerated() {
      let y = rect.y + 1 + k
      let fresh = p.generation == s.currentGeneration
      let style: Style = k == 0 ? .role(.good, bold: true) : fresh ? .role(.accent) : .role(.text)
      var x = rect.x
      x += buf.text(cells("\(k + 1)", format(p.score, s), NumberFormat.fixed(p.flops / 1e6, 2), "\(p.generation)"),
                    x: x, y: y, style: style)
      if onFront.contains(p.arch), x > rect.x { buf.put(buf.glyphs.ascii ? "o" : "●", x: rect.x + 3, y: y, style: .role(.good)) }
      buf.spans(ArchText.spans(p.arch, width: max(0, rect.maxX - x)), x: x, y: y, maxWidth: rect.maxX - x)
    }
  }

  static func drawGenerations(_ s: SearchProgress, into buf: inout ScreenBuffer, rect: Rect) {
    guard rect.height >= 1 else { return }
    guard !s.generations.isEmpty else {
      let text = s.points.isEmpty ? "no generation done yet" : "generation \(s.currentGeneration): \(s.points.count) scored"
      PaneFrame.placeholder(text, in: rect, into: &buf)
      return
    }
    // The best score after each generation as a sparkline, then the newest generations, newest first.
    let bests = s.generations.compactMap(\.bestScore)
    var y = rect.y
    if bests.count >= 2, rect.height >= 3 {
      let label = "best "
      buf.text(label, x: rect.x, y: y, style: .role(.dim))
      Sparkline.draw(bests, into: &buf, x: rect.x + label.count, y: y, width: min(bests.count, rect.width - label.count),
                     style: .role(.good))
      y += 1
    }
    buf.text(NumberFormat.pad("gen", 4) + NumberFormat.pad("evaluated", 10) + NumberFormat.pad("best", 9) + NumberFormat.pad("s", 7),
             x: rect.x, y: y, maxWidth: rect.width, style: .role(.dim))
    y += 1
    for g in s.generations.reversed() where y < rect.maxY {
      let best = g.bestScore.map { format($0, s) } ?? "–"
      let secs = g.seconds.map { NumberFormat.fixed($0, 1) } ?? "–"
      buf.text(NumberFormat.pad("\(g.generation)", 4) + NumberFormat.pad("\(g.evaluated)", 10) + NumberFormat.pad(best, 9)
               + NumberFormat.pad(secs, 7), x: rect.x, y: y, maxWidth: rect.width, style: .role(.text))
      y += 1
    }
  }
}
