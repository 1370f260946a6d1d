/// Colour names a theme may use, and the down-mapping of 256-colour indices for 8/16-colour terminals.
public enum ColorNames {
  public static let basic = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

  /// Palette index of a name (`red`, `bright-red`, `gray`, `default`), or nil.
  public static func index(of name: String) -> Int? {
    let n = name.lowercased().replacingOccurrences(of: "_", with: "-")
    if n == "default" || n == "none" { return -1 }
    if n == "gray" || n == "grey" { return 8 }
    if let i = basic.firstIndex(of: n) { return i }
    for prefix in ["bright-", "light-"] where n.hasPrefix(prefix) {
      if let i = basic.firstIndex(of: String(n.dropFirst(prefix.count))) { return 8 + i }
    }
    return nil
  }

  /// All accepted names, for error messages.
  public static var allNames: [String] { ["default"] + basic + basic.map { "bright-" + $0 } + ["gray"] }

  /// Approximate RGB (0…1) of a palette index in the xterm 256-colour layout.
  public static func rgb(_ i: Int) -> (Double, Double, Double) {
    switch i {
    case 0..<16:
      let base = i % 8, hi = i >= 8 ? 1.0 : 0.75
      let lo = i >= 8 ? 0.33 : 0.0
      return (base & 1 != 0 ? hi : lo, base & 2 != 0 ? hi : lo, base & 4 != 0 ? hi : lo)
    case 16..<232:
      let v = i - 16, steps = [0.0, 0.37, 0.53, 0.69, 0.84, 1.0]
      return (steps[v / 36], steps[(v / 6) % 6], steps[v % 6])
    case 232..<256:
      let g = (8.0 + 10.0 * Double(i - 232)) / 255.0
      return (g, g, g)
    default:
      return (0.5, 0.5, 0.5)
    }
  }

  /// The closest colour a terminal with `colors` colours can show (-1 stays the default).
  public static func fit(_ i: Int, colors: Int) -> Int {
    guard i >= 0, i >= colors else { return i }
    let (r, g, b) = rgb(i)
    let bright = max(r, g, b) > 0.8 && colors >= 16
    let mid = max(0.3, (max(r, g, b) + min(r, g, b)) / 2)
    var k = (r > mid ? 1 : 0) | (g > mid ? 2 : 0) | (b > mid ? 4 : 0)
    if k == 0 && max(r, g, b) > 0.45 { k = 7 }  // light grey
    if k == 7 && max(r, g, b) < 0.6 { return colors >= 16 ? 8 : 7 }  // dark grey
    return bright && k != 0 ? 8 + k : k
  }
}
