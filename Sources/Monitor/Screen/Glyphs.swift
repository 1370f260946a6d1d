/// The characters the UI draws with: Unicode box drawing and blocks, or plain ASCII for `--ascii` and
/// terminals without a UTF-8 locale.
public struct Glyphs: Sendable, Equatable {
  public var ascii: Bool
  public var horizontal: Character, vertical: Character
  public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
  public var ellipsis: Character
  public var separator: Character
  public var check: Character, cross: Character
  public var up: Character, down: Character
  public var bullet: Character
  /// Sparkline steps from lowest to highest.
  public var spark: [Character]
  /// Heatmap ramp used when there is no colour, from lowest to highest.
  public var shade: [Character]

  public static let unicode = Glyphs(
    ascii: false, horizontal: "─", vertical: "│", topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯",
    ellipsis: "…", separator: "│", check: "✓", cross: "✗", up: "▲", down: "▼", bullet: "●",
    spark: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
    shade: Array(" .:-=+*#%@"))

  public static let plainASCII = Glyphs(
    ascii: true, horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
    ellipsis: "~", separator: "|", check: "+", cross: "x", up: "^", down: "v", bullet: "*",
    spark: ["_", ".", ",", "-", "~", "=", "*", "#"],
    shade: Array(" .:-=+*#%@"))

  public static func forMode(ascii: Bool) -> Glyphs { ascii ? .plainASCII : .unicode }
}
