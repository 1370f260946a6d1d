/// Pane 2: the encodings trained in recent steps, newest first, colour-coded per digit (ResNet depth digits
/// and width codes) or per op (NB201), with FLOPs and loss.
enum SubnetsPane {
  /// The series colour of a path role, matching the loss legend.
  static func roleStyle(_ role: String) -> Style {
    switch role {
    case "largest": return .role(.series(1))
    case "smallest": return .role(.series(2))
    default: return .role(.series(3))
    }
  }

  static func roleLetter(_ role: String) -> String {
    switch role {
    case "largest": return "L"
    case "smallest": return "S"
    case "random": return "R"
    case "spos": return "P"
    case "fair": return "F"
    default: return String(role.prefix(1)).uppercased()
    }
  }

  static func info(_ m: MonitorModel) -> String {
    m.samples.totalAppended > 0 ? "\(NumberFormat.grouped(m.samples.totalAppended)) paths" : ""
  }

  @discardableResult
  static func draw(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) -> ScrollInfo? {
    let items = ctx.model.samples.newestFirst
    guard !items.isEmpty else {
      PaneFrame.placeholder("no subnets sampled yet", in: rect, into: &buf)
      return nil
    }
    let w = rect.width
    let showStep = w >= 46, fullRole = w >= 64
    let visible = max(0, rect.height - 1)
    let first = PaneFrame.clampedOffset(ctx.view.scrollOffset(.subnets), count: items.count, visible: visible)
    let shown = Array(items.dropFirst(first).prefix(visible))
    let stepW = max(4, String(shown.map(\.step).max() ?? 0).count)
    let roleW = fullRole ? 8 : 1, flopsW = 6, lossW = 6
    let fixed = (showStep ? stepW + 1 : 0) + roleW + 1 + 1 + flopsW + 1 + lossW
    let codeW = max(4, w - fixed)
    // Header.
    var header = [Span]()
    if showStep { header.append(Span(NumberFormat.pad("step", stepW) + " ", .role(.dim))) }
    header.append(Span((fullRole ? "role    " : "r") + " ", .role(.dim)))
    header.append(Span("encoding".padding(toLength: codeW, withPad: " ", startingAt: 0), .role(.dim)))
    header.append(Span(" " + NumberFormat.pad("FLOPs", flopsW) + " " + NumberFormat.pad("loss", lossW), .role(.dim)))
    buf.spans(header, x: rect.x, y: rect.y, maxWidth: w)
    for (i, s) in shown.enumerated() {
      let y = rect.y + 1 + i
      var x = rect.x
      if showStep { x += buf.text(NumberFormat.pad(String(s.step), stepW) + " ", x: x, y: y, style: .role(.dim)) }
      let role = fullRole ? s.role.padding(toLength: roleW, withPad: " ", startingAt: 0) : roleLetter(s.role)
      x += buf.text(role + " ", x: x, y: y, style: roleStyle(s.role))
      buf.spans(ArchText.spans(s.arch, width: codeW), x: x, y: y, maxWidth: codeW)
      let tail = " " + NumberFormat.pad(NumberFormat.compact(s.flops), flopsW) + " "
        + NumberFormat.pad(NumberFormat.fixed(s.loss, 3), lossW)
      buf.text(tail, x: rect.x + w - tail.count, y: y, style: .role(.text))
    }
    return ScrollInfo(first: first, shown: shown.count, total: items.count)
  }
}
