extension MonitorUI {
  /// Draws the whole screen into `buf` (which defines the terminal size): panes in the layout grid, the
  /// status bar, then any overlay. Below the minimum size, one "terminal too small" line instead.
  public func render(into buf: inout ScreenBuffer, theme: Theme, now: Double) {
    buf.clear()
    buf.glyphs = Glyphs.forMode(ascii: options.ascii)
    let layout = Layout.compute(width: buf.width, height: buf.height, maximised: view.maximised)
    if layout.tooSmall {
      let msg = Layout.tooSmallMessage(width: buf.width, height: buf.height, ascii: options.ascii)
      buf.textCentered(msg, in: buf.bounds, y: max(0, (buf.height - 1) / 2), style: .role(.warn, bold: true))
      return
    }
    let ctx = PaneContext(model: model, view: view, theme: theme, now: now)
    if model.search != nil {
      buf.withClip(layout.body) { SearchScreen.draw(ctx, into: &$0, rect: layout.body) }
    } else if view.ranking {
      buf.withClip(layout.body) { RankingView.draw(ctx, into: &$0, rect: layout.body) }
    } else {
      for pane in PaneID.allCases {
        guard let r = layout.panes[pane] else { continue }
        buf.withClip(r) { b in drawPane(pane, ctx: ctx, rect: r, into: &b) }
      }
    }
    if let f = model.failure {
      Overlays.drawFailure(f.message, step: f.step, into: &buf, area: layout.body)
    }
    StatusBar.draw(ctx, into: &buf, rect: layout.status)
    switch view.overlay {
    case .none: break
    case .help: Overlays.drawHelp(into: &buf, area: layout.body)
    case .quitPrompt: Overlays.drawQuitPrompt(into: &buf, area: layout.body, canLeaveRunning: options.canLeaveRunning)
    }
  }

  /// Panes whose rows scroll with every step: between list refreshes (`RedrawPolicy`) they keep the cells
  /// last shown, since a whole pane scrolling by one row is the costliest thing to send over a slow link.
  public static let listPanes: [PaneID] = [.subnets, .pairs, .landmarks]

  /// Puts the list panes of `shown` (the frame on screen) back into the freshly rendered `buf`. Not over an
  /// overlay or the failure box (which cover them), nor when the size changed.
  public func holdListPanes(in buf: inout ScreenBuffer, shown: ScreenBuffer) {
    guard view.overlay == .none, !view.ranking, model.search == nil, model.failure == nil, shown.width == buf.width, shown.height == buf.height else { return }
    let layout = Layout.compute(width: buf.width, height: buf.height, maximised: view.maximised)
    guard !layout.tooSmall else { return }
    for p in MonitorUI.listPanes { if let r = layout.panes[p] { buf.copy(r, from: shown) } }
  }

  private func drawPane(_ pane: PaneID, ctx: PaneContext, rect: Rect, into buf: inout ScreenBuffer) {
    let info: String
    switch pane {
    case .loss: info = LossPane.info(view)
    case .subnets: info = SubnetsPane.info(model)
    case .pairs: info = RankPairsPane.info(model)
    case .landmarks: info = LandmarkPane.info(ctx)
    case .tau: info = TauPane.info(model)
    }
    let inner = PaneFrame.draw(pane, rect: rect, focused: view.focus == pane, info: info, into: &buf)
    guard !inner.isEmpty else { return }
    var scroll: ScrollInfo? = nil
    buf.withClip(inner) { b in
      switch pane {
      case .loss: LossPane.draw(ctx, into: &b, rect: inner)
      case .subnets: scroll = SubnetsPane.draw(ctx, into: &b, rect: inner)
      case .pairs: scroll = RankPairsPane.draw(ctx, into: &b, rect: inner)
      case .landmarks: LandmarkPane.draw(ctx, into: &b, rect: inner)
      case .tau: TauPane.draw(ctx, into: &b, rect: inner)
      }
    }
    if let s = scroll { PaneFrame.scrollMarker(s, rect: rect, into: &buf) }
  }
}
