/// What every pane renderer gets: the data, the display settings and how colours resolve.
public struct PaneContext {
  public var model: MonitorModel
  public var view: ViewState
  public var theme: Theme
  public var now: Double
  /// Whether colours reach the screen (false for monochrome themes and NO_COLOR).
  public var color: Bool { !theme.monochrome }

  public init(model: MonitorModel, view: ViewState, theme: Theme, now: Double) {
    self.model = model; self.view = view; self.theme = theme; self.now = now
  }
}

/// Which rows of a list pane are on screen.
struct ScrollInfo: Equatable {
  var first: Int, shown: Int, total: Int
}

enum PaneFrame {
  /// Draws the pane's box with "N Title" on the left and `info` on the right of the top edge; returns
  /// the interior.
  static func draw(_ pane: PaneID, rect: Rect, focused: Bool, info: String, into buf: inout ScreenBuffer) -> Rect {
    let border: Style = focused ? .role(.accent, bold: true) : .role(.border)
    let title: [Span] = [
      Span("\(pane.rawValue)", focused ? .role(.accent, bold: true) : .role(.dim)),
      Span(" " + pane.title, focused ? .role(.title, bold: true) : .role(.title)),
    ]
    buf.box(rect, title: title, style: border)
    let titleWidth = pane.title.count + 6
    if !info.isEmpty, rect.width - titleWidth - 4 >= min(info.count, 8) {
      let room = rect.width - titleWidth - 4
      let text = info.count > room ? String(info.prefix(room - 1)) + String(buf.glyphs.ellipsis) : info
      buf.textRight(" " + text + " ", rightEdge: rect.maxX - 2, y: rect.y, style: .role(.dim))
    }
    return rect.inset(1)
  }

  /// A dim, centred placeholder for a pane that has nothing to show yet.
  static func placeholder(_ text: String, in r: Rect, into buf: inout ScreenBuffer) {
    guard !r.isEmpty else { return }
    buf.textCentered(text, in: r, y: r.y + max(0, (r.height - 1) / 2), style: .role(.dim))
  }

  /// Scroll offset clamped to a list of `count` rows shown `visible` at a time.
  static func clampedOffset(_ offset: Int, count: Int, visible: Int) -> Int {
    max(0, min(offset, count - max(1, visible)))
  }

  /// "rows a–b of n" marker, drawn on the bottom border when the list is scrolled or longer than shown.
  static func scrollMarker(_ s: ScrollInfo, rect: Rect, into buf: inout ScreenBuffer) {
    guard s.total > s.shown, s.shown > 0 else { return }
    let text = " \(s.first + 1)–\(s.first + s.shown) of \(s.total) "
    buf.textRight(text, rightEdge: rect.maxX - 2, y: rect.maxY - 1, style: .role(.dim))
  }
}
