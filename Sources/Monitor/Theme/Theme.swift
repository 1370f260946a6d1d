/// A style resolved to terminal terms: palette indices (-1 = the terminal's default) and attributes.
public struct ResolvedStyle: Hashable, Sendable {
  public var fg: Int, bg: Int
  public var bold: Bool, dim: Bool, reverse: Bool, underline: Bool
}

/// Colours of every UI role. Loaded from `themes/NAME.toml`; `monochrome` themes (and NO_COLOR) use no
/// colour at all and express roles with bold/dim/reverse/underline only.
public struct Theme: Sendable, Equatable {
  public var name: String
  public var monochrome: Bool
  // Defaults are themes/default.toml, so a binary without the themes folder looks the same.
  public var text = -1, dim = 244, title = 255, border = 240, accent = 39, good = 78, bad = 203, warn = 221
  public var selection = 237
  public var series = [39, 214, 78, 170, 203, 250]
  public var ramp = [54, 55, 61, 62, 31, 30, 36, 35, 71, 77, 113, 149, 185, 220, 226]
  public var resolution = 242, depth = 213, zero = 238
  public var widthCodes = [33, 39, 44, 49, 83, 154, 220]
  public var ops = [240, 250, 75, 214, 141]

  public init(name: String, monochrome: Bool = false) { self.name = name; self.monochrome = monochrome }

  /// The built-in dark theme, used as the base every theme file overrides (and when no themes folder exists).
  public static let fallback = Theme(name: "default")
  public static let builtinMono = Theme(name: "mono", monochrome: true)

  /// Palette index of a role (-1 = terminal default); always -1 when monochrome.
  public func color(_ role: Role) -> Int {
    guard !monochrome else { return -1 }
    func pick(_ list: [Int], _ i: Int) -> Int { list.isEmpty ? -1 : list[((i % list.count) + list.count) % list.count] }
    switch role {
    case .text: return text
    case .dim: return dim
    case .title: return title
    case .border: return border
    case .accent: return accent
    case .good: return good
    case .bad: return bad
    case .warn: return warn
    case .selection: return selection
    case .series(let i): return pick(series, i)
    case .ramp(let i): return pick(ramp, min(max(i, 0), max(0, ramp.count - 1)))
    case .resolutionDigit: return resolution
    case .depthDigit: return depth
    case .zeroDigit: return zero
    case .widthCode(let c): return pick(widthCodes, c - 1)
    case .op(let k): return pick(ops, k)
    }
  }

  /// Number of heatmap ramp steps.
  public var rampSteps: Int { max(2, ramp.count) }

  /// Terminal colours and attributes of a cell style. Monochrome keeps the meaning with attributes:
  /// titles/accents/warnings bold, failures bold+underlined, selections reversed, dim stays dim.
  public func resolve(_ s: Style) -> ResolvedStyle {
    var r = ResolvedStyle(fg: paint(s.fg), bg: paint(s.bg), bold: s.bold, dim: s.dim, reverse: s.reverse,
                          underline: s.underline)
    if monochrome {
      let roles = [s.fg, s.bg].compactMap { p -> Role? in if case .role(let x) = p { return x } else { return nil } }
      for role in roles {
        switch role {
        case .title, .accent, .warn, .depthDigit: r.bold = true
        case .bad: r.bold = true; r.underline = true
        case .selection: r.reverse = true
        case .dim, .border, .zeroDigit, .resolutionDigit: r.dim = r.dim || !r.bold
        default: break
        }
      }
    }
    return r
  }

  private func paint(_ p: Paint) -> Int {
    switch p {
    case .none: return -1
    case .role(let r): return color(r)
    case .index(let i): return monochrome ? -1 : i
    }
  }
}
