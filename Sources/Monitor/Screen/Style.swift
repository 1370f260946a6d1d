/// What a colour means in the UI. Cells carry roles, not terminal colours, so a theme (or NO_COLOR) can be
/// swapped without redrawing logic, and tests can assert meaning ("this heatmap cell is ramp step 3").
public enum Role: Hashable, Sendable {
  case text, dim, title, border, accent, good, bad, warn, selection
  /// Chart series colour, 0-based (the theme defines six and they repeat).
  case series(Int)
  /// Heatmap ramp step, 0 = lowest value.
  case ramp(Int)
  /// Encoding digit classes.
  case depthDigit, resolutionDigit, zeroDigit
  /// ResNet width code 1…7.
  case widthCode(Int)
  /// NAS-Bench-201 op in digit order (none, skip, conv1x1, conv3x3, avgpool).
  case op(Int)
}

/// A cell colour: the terminal default, a theme role, or a raw 0–255 palette index.
public enum Paint: Hashable, Sendable {
  case none
  case role(Role)
  case index(Int)
}

/// Everything about a cell except its glyph.
public struct Style: Hashable, Sendable {
  public var fg: Paint
  public var bg: Paint
  public var bold: Bool
  public var dim: Bool
  public var reverse: Bool
  public var underline: Bool

  public init(fg: Paint = .none, bg: Paint = .none, bold: Bool = false, dim: Bool = false,
              reverse: Bool = false, underline: Bool = false) {
    self.fg = fg; self.bg = bg; self.bold = bold; self.dim = dim; self.reverse = reverse; self.underline = underline
  }

  public static let plain = Style()

  /// The usual way to style text: a role as foreground, with attributes.
  public static func role(_ r: Role, bold: Bool = false, dim: Bool = false, reverse: Bool = false,
                          underline: Bool = false) -> Style {
    Style(fg: .role(r), bold: bold, dim: dim, reverse: reverse, underline: underline)
  }

  public func with(bold: Bool? = nil, dim: Bool? = nil, reverse: Bool? = nil, bg: Paint? = nil) -> Style {
    var s = self
    if let bold { s.bold = bold }
    if let dim { s.dim = dim }
    if let reverse { s.reverse = reverse }
    if let bg { s.bg = bg }
    return s
  }
}

/// One screen position.
public struct Cell: Hashable, Sendable {
  public var char: Character
  public var style: Style
  public init(_ char: Character = " ", _ style: Style = .plain) { self.char = char; self.style = style }
  public static let blank = Cell()
}
