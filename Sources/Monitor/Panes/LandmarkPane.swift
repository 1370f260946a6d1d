/// Pane 4: Hamming distances between the landmark architectures (ordered by prior or ground truth), and
/// below them the recently sampled archs against the same landmarks, on the theme's heatmap ramp.
enum LandmarkPane {
  static func info(_ ctx: PaneContext) -> String {
    guard ctx.model.landmarks != nil else { return "" }
    if ctx.view.landmarkOrder == .groundTruth {
      return ctx.model.landmarks?.groundTruth == nil ? "by prior (no GT)" : "by GT"
    }
    return "by prior"
  }

  /// Largest distance on show, the top of the colour scale.
  static func maxDistance(_ m: MonitorModel) -> Int {
    max(1, (m.landmarkDistances.flatMap { $0 } + m.recentDistances.flatMap(\.distances)).max() ?? 1)
  }

  static func draw(_ ctx: PaneContext, into buf: inout ScreenBuffer, rect: Rect) {
    let m = ctx.model
    guard let l = m.landmarks, !l.archs.isEmpty else {
      PaneFrame.placeholder("no landmarks yet", in: rect, into: &buf)
      return
    }
    let order = m.landmarkOrder(ctx.view.landmarkOrder)
    let matrix = m.orderedDistances(ctx.view.landmarkOrder).map { $0.map(Double.init) }
    let recent = m.recentDistances.map { r in order.map { r.distances.indices.contains($0) ? Double(r.distances[$0]) : .nan } }
    let top = maxDistance(m)
    let range = 0.0...Double(top)
    let useColor = ctx.color && !buf.glyphs.ascii
    let steps = useColor ? ctx.theme.rampSteps : buf.glyphs.shade.count

    // Header: count on the left, the colour scale on the right.
    let head = "\(l.archs.count) landmarks · \(l.proxy)"
    buf.text(head, x: rect.x, y: rect.y, maxWidth: rect.width, style: .role(.dim))
    let scaleW = min(8, steps)
    let legendW = 2 + scaleW + 1 + String(top).count
    if rect.width >= head.count + legendW + 2 {
      var x = rect.maxX - legendW
      buf.text("0 ", x: x, y: rect.y, style: .role(.dim)); x += 2
      for k in 0..<scaleW {
        let step = Heatmap.rampIndex(Double(k), range: 0...Double(max(1, scaleW - 1)), steps: steps)
        if useColor { buf.put("█", x: x + k, y: rect.y, style: .role(.ramp(step))) }
        else { buf.put(buf.glyphs.shade[step], x: x + k, y: rect.y, style: .plain) }
      }
      buf.text(" \(top)", x: x + scaleW, y: rect.y, style: .role(.dim))
    }

    let avail = rect.height - 1
    let needM = useColor ? (matrix.count + 1) / 2 : matrix.count
    let needR = useColor ? (recent.count + 1) / 2 : recent.count
    var mRows = min(needM, avail), rRows = 0
    if needR > 0, avail >= needM + 2 { rRows = min(needR, avail - needM - 1) }
    if needR > 0, avail < needM + 2, avail >= 6 { mRows = avail - 3; rRows = avail - mRows - 1 }
    let mRect = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: mRows)
    let drawn = Heatmap.draw(matrix, range: range, into: &buf, rect: mRect, color: useColor, rampSteps: steps)
    if rRows > 0 {
      let y = mRect.maxY
      buf.text("recent" + (buf.glyphs.ascii ? " v" : " ↓"), x: rect.x, y: y, style: .role(.dim))
      Heatmap.draw(recent, range: range, into: &buf, rect: Rect(x: rect.x, y: y + 1, width: drawn.width, height: rRows),
                   color: useColor, rampSteps: steps)
    }
    // Beside the matrix: the top landmarks' values when there is room.
    let side = Rect(x: drawn.maxX + 2, y: mRect.y, width: rect.maxX - drawn.maxX - 2, height: rect.maxY - mRect.y)
    if side.width >= 9 {
      let gt = l.groundTruth
      buf.text(ctx.view.landmarkOrder == .groundTruth && gt != nil ? "top: GT" : "top: prior", x: side.x, y: side.y,
               maxWidth: side.width, style: .role(.dim))
      for (k, i) in order.prefix(side.height - 1).enumerated() {
        var s = "#\(i) " + NumberFormat.compact(l.prior.indices.contains(i) ? l.prior[i] : .nan)
        if let g = gt, g.indices.contains(i), side.width >= s.count + 9 { s += " gt " + NumberFormat.compact(g[i]) }
        buf.text(s, x: side.x, y: side.y + 1 + k, maxWidth: side.width, style: .role(.text))
      }
    }
  }
}
