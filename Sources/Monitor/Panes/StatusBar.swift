/// The bottom line: run, progress, speed, ETA, proxy and λ, state, last checkpoint, and transient messages.
/// Segments carry priorities; on a narrow terminal the least important are dropped, never truncated mid-way.
enum StatusBar {
  struct Segment {
    var spans: [Span]
    var priority: Int  // higher survives longer
    var width: Int { spans.reduce(0) { $0 + $1.text.count } }
  }

  static func state(_ ctx: PaneContext) -> Span {
    let m = ctx.model, v = ctx.view
    if m.failure != nil { return Span(" FAILED ", .role(.bad, bold: true, reverse: true)) }
    if let f = m.search?.finished {
      return Span(f.stopped == true ? " STOPPED " : " FINISHED ", .role(.good, bold: true, reverse: true))
    }
    if v.quittingSince != nil { return Span(" STOPPING ", .role(.warn, bold: true, reverse: true)) }
    if let f = m.finished { return Span(f.stopped ? " STOPPED " : " FINISHED ", .role(.good, bold: true, reverse: true)) }
    if let p = v.pendingPause { return Span(p ? " PAUSING… " : " RESUMING… ", .role(.warn, bold: true)) }
    if m.paused { return Span(" PAUSED ", .role(.warn, bold: true, reverse: true)) }
    if m.run == nil && m.search == nil { return Span(" WAITING ", .role(.dim, bold: true)) }
    return Span(" RUNNING ", .role(.good, bold: true))
  }

  static func segments(_ ctx: PaneContext) -> [Segment] {
    let m = ctx.model, v = ctx.view
    let dim = Style.role(.dim), text = Style.role(.text)
    var out = [Segment]()
    if let s = m.search { return searchSegments(ctx, s) }
    out.append(Segment(spans: [Span(" " + (m.run?.name ?? "rdnas") + " ", .role(.accent, bold: true, reverse: true))],
                       priority: 90))
    out.append(Segment(spans: [state(ctx)], priority: 100))
    if let r = m.run {
      var s = [Span("ep ", dim), Span("\(min(m.epoch + 1, max(r.epochs, 1)))/\(r.epochs)", text)]
      if r.epochs <= 0 { s = [Span("ep ", dim), Span("\(m.epoch + 1)", text)] }
      out.append(Segment(spans: s, priority: 70))
      let total = m.totalSteps.map { "/" + NumberFormat.grouped($0) } ?? ""
      out.append(Segment(spans: [Span("step ", dim), Span(NumberFormat.grouped(m.step) + total, text)], priority: 80))
    }
    if let ips = m.imagesPerSecond {
      let v = ips >= 100 ? String(Int(ips.rounded())) : NumberFormat.compact(ips)
      out.append(Segment(spans: [Span(v, text), Span(" img/s", dim)], priority: 50))
    }
    if let eta = m.eta, !m.isOver {
      out.append(Segment(spans: [Span("ETA ", dim), Span(NumberFormat.duration(eta), text)], priority: 60))
    }
    if let p = v.pendingProxy ?? m.proxy {
      let pending = v.pendingProxy != nil
      out.append(Segment(spans: [Span("proxy ", dim), Span(p + (pending ? "…" : ""), pending ? .role(.warn) : .role(.accent))],
                         priority: 55))
    }
    if let l = m.lambda { out.append(Segment(spans: [Span("λ ", dim), Span(NumberFormat.compact(l), text)], priority: 40)) }
    if let c = m.lastCheckpoint {
      out.append(Segment(spans: [Span("ckpt ", dim), Span(NumberFormat.clock(c.time), text)], priority: 30))
    }
    out.append(Segment(spans: [Span("? help", dim)], priority: 20))
    return out
  }

  static func searchSegments(_ ctx: PaneContext, _ s: SearchProgress) -> [Segment] {
    let dim = Style.role(.dim), text = Style.role(.text)
    var out = [Segment(spans: [Span(" search " + (s.method ?? "") + " ", .role(.accent, bold: true, reverse: true))], priority: 90),
               Segment(spans: [state(ctx)], priority: 100)]
    let planned = s.plannedGenerations.map { "/\($0)" } ?? ""
    out.append(Segment(spans: [Span("gen ", dim), Span("\(s.completedGenerations)\(planned)", text)], priority: 80))
    out.append(Segment(spans: [Span(NumberFormat.grouped(s.points.count), text), Span(" evaluated", dim)], priority: 70))
    if let b = s.best(1).first {
      out.append(Segment(spans: [Span("best ", dim), Span(SearchScreen.format(b.score, s), .role(.good, bold: true))], priority: 65))
    }
    if let eta = s.eta, !s.isFinished {
      out.append(Segment(spans: [Span("ETA ", dim), Span(NumberFormat.duration(eta), text)], priority: 60))
    }
    if let per = s.secondsPerGeneration {
      out.append(Segment(spans: [Span(NumberFormat.fixed(per, 1), text), Span(" s/gen", dim)], priority: 40))
    }
    out.append(Segment(spans: [Span("? help", dim)], priority: 20))
    return out
  }

  static func flashStyle(_ l: Flash.Level) -> Style {
    switch l {
    case .info: return .role(.accent, bold: true)
    case .good: return .role(.good, bold: true)
    case .warn: return .role(.warn, bold: true)
    case .bad: return .role(.bad, bold: true)
    }
  }

  /// Shortens `s` to `width` by cutting its middle, so both "checkpoint saved:" and the file name survive.
  static func middleTruncate(_ s: String, _ width: Int, ellipsis: Character) -> String {
    guard s.count > width else { return s }
    guard width > 4 else { return String(s.prefix(max(0, width))) }
    let head = (width - 1) / 2, tail = width - 1 - head
    return String(s.prefix(head)) + String(ellipsis) + String(s.suffix(tail))
  }

  static func draw(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) {
    guard !rect.isEmpty else { return }
    var segs = segments(ctx)
    let flash = ctx.view.flash.flatMap { $0.until > ctx.now ? $0 : nil }
    let sepWidth = 3
    func total(_ s: [Segment]) -> Int { s.reduce(0) { $0 + $1.width } + max(0, s.count - 1) * sepWidth }
    // A message needs room: reserve up to 32 columns for it, then drop the least important segments.
    if flash != nil { segs.removeAll { $0.priority == 20 } }
    let reserve = flash.map { min($0.text.count, 32) + sepWidth } ?? 0
    while total(segs) + reserve > rect.width, segs.count > 1,
          let drop = segs.indices.filter({ segs[$0].priority < 90 }).min(by: { segs[$0].priority < segs[$1].priority }) {
      segs.remove(at: drop)
    }
    if let f = flash {
      let room = rect.width - total(segs) - sepWidth
      if room >= 8 {
        segs.append(Segment(spans: [Span(middleTruncate(f.text, room, ellipsis: buf.glyphs.ellipsis), flashStyle(f.level))],
                            priority: 85))
      }
    }
    buf.fill(rect, style: Style(bg: .role(.selection)))
    var x = rect.x
    for (i, s) in segs.enumerated() {
      if i > 0 { x += buf.text(" \(buf.glyphs.separator) ", x: x, y: rect.y, style: Style(fg: .role(.dim), bg: .role(.selection))) }
      let withBg = s.spans.map { sp -> Span in
        var st = sp.style
        if st.bg == .none { st.bg = .role(.selection) }
        return Span(sp.text, st)
      }
      x += buf.spans(withBg, x: x, y: rect.y, maxWidth: rect.maxX - x)
    }
  }
}
