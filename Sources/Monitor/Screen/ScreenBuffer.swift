/// A styled run of text, the unit panes compose lines from.
public struct Span: Hashable, Sendable {
  public var text: String
  public var style: Style
  public init(_ text: String, _ style: Style = .plain) { self.text = text; self.style = style }
}

/// An off-screen grid of cells. Every pane draws here; only the curses backend copies it to the terminal, so
/// all rendering is testable as plain data (see `renderText()`).
public struct ScreenBuffer: Equatable, Sendable {
  public private(set) var width: Int
  public private(set) var height: Int
  public private(set) var cells: [Cell]
  public var glyphs: Glyphs
  /// Drawing outside this rectangle is ignored; panes set it to their rect so nothing spills over.
  public var clip: Rect

  public init(width: Int, height: Int, glyphs: Glyphs = .unicode) {
    self.width = max(0, width); self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
    self.glyphs = glyphs
    clip = Rect(x: 0, y: 0, width: self.width, height: self.height)
  }

  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  public subscript(x: Int, y: Int) -> Cell {
    guard x >= 0, x < width, y >= 0, y < height else { return .blank }
    return cells[y * width + x]
  }

  public mutating func clear() {
    for i in cells.indices { cells[i] = .blank }
  }

  /// Copies the cells of `r` from `other` (same size), ignoring the clip: keeps a region as it was last shown.
  public mutating func copy(_ r: Rect, from other: ScreenBuffer) {
    guard other.width == width, other.height == height else { return }
    let a = r.intersection(bounds)
    guard !a.isEmpty else { return }
    for y in a.y..<a.maxY { for x in a.x..<a.maxX { cells[y * width + x] = other.cells[y * width + x] } }
  }

  /// How many cells differ from `other` (every cell when the sizes differ): what a frame costs to send.
  public func changedCells(from other: ScreenBuffer) -> Int {
    guard other.width == width, other.height == height else { return cells.count }
    return zip(cells, other.cells).reduce(0) { $0 + ($1.0 == $1.1 ? 0 : 1) }
  }

  public mutating func put(_ c: Character, x: Int, y: Int, style: Style = .plain) {
    guard clip.contains(x: x, y: y), x >= 0, x < width, y >= 0, y < height else { return }
    cells[y * width + x] = Cell(glyphs.ascii ? ScreenBuffer.asciiFallback(ScreenBuffer.sanitize(c)) : ScreenBuffer.sanitize(c), style)
  }

  /// Changes only the style of a cell (used to highlight a row without redrawing its text).
  public mutating func restyle(x: Int, y: Int, _ transform: (Style) -> Style) {
    guard clip.contains(x: x, y: y), x >= 0, x < width, y >= 0, y < height else { return }
    cells[y * width + x].style = transform(cells[y * width + x].style)
  }

  public mutating func fill(_ r: Rect, char: Character = " ", style: Style = .plain) {
    let a = r.intersection(clip).intersection(bounds)
    guard !a.isEmpty else { return }
    for y in a.y..<a.maxY { for x in a.x..<a.maxX { cells[y * width + x] = Cell(char, style) } }
  }

  /// Runs `body` with drawing clipped to `r` (within the current clip), then restores the clip.
  public mutating func withClip(_ r: Rect, _ body: (inout ScreenBuffer) -> Void) {
    let saved = clip
    clip = clip.intersection(r)
    body(&self)
    clip = saved
  }

  /// Writes `s` from (x, y), truncated with an ellipsis at `maxWidth` and at the clip edge.
  /// Returns the number of columns written.
  @discardableResult
  public mutating func text(_ s: String, x: Int, y: Int, maxWidth: Int? = nil, style: Style = .plain) -> Int {
    spans([Span(s, style)], x: x, y: y, maxWidth: maxWidth)
  }

  /// Writes styled spans as one line, truncating the whole line with a single ellipsis.
  @discardableResult
  public mutating func spans(_ parts: [Span], x: Int, y: Int, maxWidth: Int? = nil) -> Int {
    var avail = clip.maxX - x
    if let maxWidth { avail = min(avail, maxWidth) }
    guard avail > 0, y >= clip.y, y < clip.maxY else { return 0 }
    let total = parts.reduce(0) { $0 + $1.text.count }
    let cut = total > avail ? avail - 1 : total
    var col = 0
    outer: for part in parts {
      for ch in part.text {
        if col >= cut { break outer }
        put(ch, x: x + col, y: y, style: part.style)
        col += 1
      }
    }
    if total > avail {
      let last = parts.last(where: { !$0.text.isEmpty })?.style ?? .plain
      put(glyphs.ellipsis, x: x + col, y: y, style: last)
      col += 1
    }
    return col
  }

  /// Writes `s` so that it ends just before column `rightEdge`.
  @discardableResult
  public mutating func textRight(_ s: String, rightEdge: Int, y: Int, style: Style = .plain) -> Int {
    text(s, x: rightEdge - s.count, y: y, style: style)
  }

  /// Centres `s` on row y of `r`.
  public mutating func textCentered(_ s: String, in r: Rect, y: Int, style: Style = .plain) {
    text(s, x: r.x + max(0, (r.width - s.count) / 2), y: y, maxWidth: r.width, style: style)
  }

  /// A frame around `r` with an optional title in its top edge.
  public mutating func box(_ r: Rect, title: [Span] = [], style: Style = .role(.border)) {
    guard r.width >= 2, r.height >= 2 else { return }
    let g = glyphs
    for x in r.x + 1..<r.maxX - 1 {
      put(g.horizontal, x: x, y: r.y, style: style)
      put(g.horizontal, x: x, y: r.maxY - 1, style: style)
    }
    for y in r.y + 1..<r.maxY - 1 {
      put(g.vertical, x: r.x, y: y, style: style)
      put(g.vertical, x: r.maxX - 1, y: y, style: style)
    }
    put(g.topLeft, x: r.x, y: r.y, style: style)
    put(g.topRight, x: r.maxX - 1, y: r.y, style: style)
    put(g.bottomLeft, x: r.x, y: r.maxY - 1, style: style)
    put(g.bottomRight, x: r.maxX - 1, y: r.maxY - 1, style: style)
    guard !title.isEmpty, r.width > 6 else { return }
    var padded = [Span(" ", style)] + title
    padded.append(Span(" ", style))
    spans(padded, x: r.x + 2, y: r.y, maxWidth: r.width - 4)
  }

  /// One row as text (trailing blanks trimmed).
  public func row(_ y: Int) -> String {
    guard y >= 0, y < height else { return "" }
    var s = String(cells[(y * width)..<(y * width + width)].map(\.char))
    while s.last == " " { s.removeLast() }
    return s
  }

  /// The whole buffer as lines of text, for tests and `--dump`-style debugging.
  public func renderText() -> String { (0..<height).map(row).joined(separator: "\n") }

  /// Control characters and double-width glyphs would desynchronise the grid from the terminal, so they
  /// are replaced by a visible placeholder.
  static func sanitize(_ c: Character) -> Character {
    guard let s = c.unicodeScalars.first else { return " " }
    let v = s.value
    if v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) { return v == 9 ? " " : "?" }
    if isWide(v) { return "?" }
    return c
  }

  /// In ASCII mode every non-ASCII character that slips through (labels, messages) is transliterated, so
  /// `--ascii` output is pure ASCII whatever the text.
  static func asciiFallback(_ c: Character) -> Character {
    guard let v = c.unicodeScalars.first?.value, v >= 0x80 else { return c }
    switch c {
    case "τ": return "t"
    case "λ": return "L"
    case "·", "•": return "."
    case "–", "—", "─", "━": return "-"
    case "×": return "x"
    case "≥", "▲", "↑": return v == 0x2265 ? ">" : "^"
    case "▼", "↓": return "v"
    case "…": return "~"
    case "│", "┃": return "|"
    case "●": return "*"
    case "✓": return "+"
    case "✗": return "x"
    case "→": return ">"
    case "←": return "<"
    default:
      if (0x2500...0x257F).contains(v) { return "+" }  // other box drawing
      if (0x2580...0x259F).contains(v) || (0x2800...0x28FF).contains(v) { return "#" }  // blocks, braille
      return "?"
    }
  }

  static func isWide(_ v: UInt32) -> Bool {
    (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
      || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
  }
}
