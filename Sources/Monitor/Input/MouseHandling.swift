extension MonitorUI {
  /// Mouse, as in btop or nvitop: a press on a pane focuses it, a press on its title row maximises it (or
  /// restores the layout), the wheel scrolls the list under the pointer. In the ranking view a press on a
  /// table row selects that landmark and the wheel moves the selection. A press closes the help overlay.
  mutating func handleMouse(_ m: MouseEvent, now: Double, screen: (width: Int, height: Int)) -> KeyOutcome {
    switch view.overlay {
    case .quitPrompt: return KeyOutcome()  // answer with a key: a stray click must not quit
    case .help:
      if m.kind == .press { view.overlay = .none }
      return KeyOutcome()
    case .none: break
    }
    let layout = Layout.compute(width: screen.width, height: screen.height, maximised: view.maximised)
    guard !layout.tooSmall else { return KeyOutcome() }
    if view.ranking {
      switch m.kind {
      case .wheelUp: _ = performInRanking(.scrollUp, screen: screen)
      case .wheelDown: _ = performInRanking(.scrollDown, screen: screen)
      case .press:
        if let i = RankingView.landmark(atRow: m.y, x: m.x, model, view, rect: layout.body) { view.rankingSelection = i }
      }
      return KeyOutcome()
    }
    guard let (pane, rect) = layout.panes.first(where: { $0.value.contains(x: m.x, y: m.y) }) else { return KeyOutcome() }
    switch m.kind {
    case .press:
      if m.y == rect.y {
        view.focus = pane
        view.maximised = view.maximised == pane ? nil : pane
      } else {
        view.focus = pane
      }
    case .wheelUp, .wheelDown:
      view.focus = pane
      scroll(by: m.kind == .wheelUp ? -3 : 3, screen: screen)
    }
    return KeyOutcome()
  }
}
