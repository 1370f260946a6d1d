import Common
import Foundation

/// Finds, reads and validates `themes/NAME.toml`.
public enum ThemeLoader {
  /// Where themes are looked for, in order: `./themes`, then next to the executable's repo
  /// (`<exe dir>/../../themes` for `.build/debug/rdnas`, one more level up for the resolved
  /// `.build/<triple>/debug/rdnas`).
  public static func defaultSearchPath(cwd: String = FileManager.default.currentDirectoryPath,
                                       executable: String? = Bundle.main.executablePath) -> [String] {
    var path = [URL(fileURLWithPath: cwd).appendingPathComponent("themes").path]
    if let exe = executable {
      let dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
      for up in ["../../themes", "../../../themes", "../themes"] {
        path.append(dir.appendingPathComponent(up).standardized.path)
      }
    }
    var seen = Set<String>()
    return path.filter { seen.insert($0).inserted }
  }

  /// Theme names (file names without `.toml`) found on the search path, sorted.
  public static func available(in searchPath: [String]) -> [String] {
    var names = Set<String>()
    for dir in searchPath {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
      for f in files where f.hasSuffix(".toml") { names.insert(String(f.dropLast(5))) }
    }
    return names.sorted()
  }

  /// Loads a theme by name (or by file path when `name` contains `/` or ends in `.toml`).
  /// `default` and `mono` fall back to built-in copies when no themes folder exists.
  public static func load(name: String, searchPath: [String]) throws -> Theme {
    if name.contains("/") || name.hasSuffix(".toml") { return try loadFile(name) }
    for dir in searchPath {
      let file = URL(fileURLWithPath: dir).appendingPathComponent(name + ".toml").path
      if FileManager.default.fileExists(atPath: file) { return try loadFile(file) }
    }
    let names = available(in: searchPath)
    if names.isEmpty && name == "default" { return .fallback }
    if names.isEmpty && name == "mono" { return .builtinMono }
    let list = names.isEmpty ? "none found in \(searchPath.joined(separator: ", "))" : names.joined(separator: ", ")
    throw RDNASError.badInput("unknown theme '\(name)' (available: \(list))")
  }

  /// The theme the UI should use: `name` (default "default"), made monochrome when `noColor` is set or
  /// the NO_COLOR environment variable is non-empty.
  public static func resolve(name: String?, noColor: Bool, environment: [String: String] = ProcessInfo.processInfo.environment,
                             searchPath: [String] = defaultSearchPath()) throws -> Theme {
    var theme = try load(name: name ?? "default", searchPath: searchPath)
    if noColor || !(environment["NO_COLOR"] ?? "").isEmpty { theme.monochrome = true }
    return theme
  }

  public static func loadFile(_ path: String) throws -> Theme {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw RDNASError.badFile(path: path, reason: "cannot read theme file")
    }
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try parse(String(decoding: data, as: UTF8.self), file: path, name: name)
  }

  /// Builds a theme from TOML text; every key is checked, so a typo is an error naming file:line and key.
  public static func parse(_ text: String, file: String, name: String) throws -> Theme {
    var t = Theme.fallback
    t.name = name
    for e in try TomlLite.parse(text, file: file) {
      func fail(_ why: String) -> RDNASError { .badFile(path: "\(file):\(e.line)", reason: why) }
      func color(_ v: TomlValue) throws -> Int {
        switch v {
        case .int(let i) where (-1...255).contains(i): return i
        case .int(let i): throw fail("key '\(e.path)': colour index \(i) is not in 0...255")
        case .string(let s):
          guard let i = ColorNames.index(of: s) ?? Int(s).flatMap({ (0...255).contains($0) ? $0 : nil }) else {
            throw fail("key '\(e.path)': unknown colour '\(s)' (use 0-255 or one of \(ColorNames.allNames.joined(separator: ", ")))")
          }
          return i
        default: throw fail("key '\(e.path)': expected a colour name or 0-255")
        }
      }
      func colors(_ count: ClosedRange<Int>) throws -> [Int] {
        guard case .array(let items) = e.value else { throw fail("key '\(e.path)': expected an array of colours") }
        guard count.contains(items.count) else {
          throw fail("key '\(e.path)': expected \(count.lowerBound)...\(count.upperBound) colours, found \(items.count)")
        }
        return try items.map(color)
      }
      switch e.path {
      case "name":
        guard case .string(let s) = e.value else { throw fail("key 'name': expected a string") }
        t.name = s
      case "description": guard case .string = e.value else { throw fail("key 'description': expected a string") }
      case "monochrome":
        guard case .bool(let b) = e.value else { throw fail("key 'monochrome': expected true or false") }
        t.monochrome = b
      case "ui.text": t.text = try color(e.value)
      case "ui.dim": t.dim = try color(e.value)
      case "ui.title": t.title = try color(e.value)
      case "ui.border": t.border = try color(e.value)
      case "ui.accent": t.accent = try color(e.value)
      case "ui.good": t.good = try color(e.value)
      case "ui.bad": t.bad = try color(e.value)
      case "ui.warn": t.warn = try color(e.value)
      case "ui.selection": t.selection = try color(e.value)
      case "series.colors": t.series = try colors(1...6)
      case "heatmap.ramp": t.ramp = try colors(2...32)
      case "digits.resolution": t.resolution = try color(e.value)
      case "digits.depth": t.depth = try color(e.value)
      case "digits.zero": t.zero = try color(e.value)
      case "digits.width": t.widthCodes = try colors(7...7)
      case "ops.none": t.ops[0] = try color(e.value)
      case "ops.skip_connect": t.ops[1] = try color(e.value)
      case "ops.nor_conv_1x1": t.ops[2] = try color(e.value)
      case "ops.nor_conv_3x3": t.ops[3] = try color(e.value)
      case "ops.avg_pool_3x3": t.ops[4] = try color(e.value)
      default: throw fail("unknown key '\(e.path)'")
      }
    }
    return t
  }
}
