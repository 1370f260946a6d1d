import Common
import XCTest
@testable import Monitor

final class ThemeTests: XCTestCase {
  func testEveryBundledThemeLoads() throws {
    let names = ThemeLoader.available(in: [Fixture.themesDir])
    for required in ["default", "light", "mono", "solarized", "high-contrast"] { XCTAssertTrue(names.contains(required), required) }
    for n in names {
      let t = try ThemeLoader.load(name: n, searchPath: [Fixture.themesDir])
      XCTAssertEqual(t.name, n)
      XCTAssertGreaterThanOrEqual(t.rampSteps, 2)
    }
    XCTAssertTrue(try ThemeLoader.load(name: "mono", searchPath: [Fixture.themesDir]).monochrome)
    XCTAssertEqual(try ThemeLoader.load(name: "default", searchPath: [Fixture.themesDir]), Theme.fallback,
                   "built-in fallback equals themes/default.toml")
    let hc = try ThemeLoader.load(name: "high-contrast", searchPath: [Fixture.themesDir])
    XCTAssertEqual(hc.accent, 14, "bright-cyan")
  }

  func testUnknownThemeListsAvailableOnes() {
    XCTAssertThrowsError(try ThemeLoader.load(name: "neon", searchPath: [Fixture.themesDir])) { e in
      let msg = "\(e)"
      XCTAssertTrue(msg.contains("unknown theme 'neon'"), msg)
      XCTAssertTrue(msg.contains("default") && msg.contains("light") && msg.contains("mono"), msg)
    }
  }

  func testMalformedLineAndUnknownKeyNameFileAndLine() {
    let bad = "name = \"x\"\n[ui]\naccent = 39\ngood = = 3\n"
    XCTAssertThrowsError(try ThemeLoader.parse(bad, file: "themes/x.toml", name: "x")) { e in
      XCTAssertTrue("\(e)".hasPrefix("themes/x.toml:4: "), "\(e)")
      XCTAssertTrue("\(e)".contains("good"), "\(e)")
    }
    let unknown = "[ui]\naccent = 39\n\n# comment\nsparkle = 3\n"
    XCTAssertThrowsError(try ThemeLoader.parse(unknown, file: "t.toml", name: "t")) { e in
      XCTAssertEqual("\(e)", "t.toml:5: unknown key 'ui.sparkle'")
    }
    XCTAssertThrowsError(try ThemeLoader.parse("[ui]\nbad = \"chartreuse\"\n", file: "t.toml", name: "t"))
    XCTAssertThrowsError(try ThemeLoader.parse("[ui]\ngood = \"chartreuse\"\n", file: "t.toml", name: "t")) { e in
      XCTAssertTrue("\(e)".hasPrefix("t.toml:2: key 'ui.good': unknown colour 'chartreuse'"), "\(e)")
    }
    XCTAssertThrowsError(try ThemeLoader.parse("[digits]\nwidth = [1, 2]\n", file: "t.toml", name: "t")) { e in
      XCTAssertTrue("\(e)".contains("t.toml:2:") && "\(e)".contains("expected 7...7 colours"), "\(e)")
    }
    XCTAssertThrowsError(try ThemeLoader.parse("[ui]\ntitle = 300\n", file: "t.toml", name: "t"))
  }

  func testMalformedFileOnDiskNamesItsPath() throws {
    let dir = Fixture.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("broken.toml")
    try "[ui\n".write(to: file, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try ThemeLoader.load(name: "broken", searchPath: [dir.path])) { e in
      XCTAssertTrue("\(e)".hasPrefix(file.path + ":1: "), "\(e)")
    }
  }

  func testPartialThemeKeepsDefaultsAndParsesNamesAndIndices() throws {
    let t = try ThemeLoader.parse("[ui]\naccent = \"bright-red\"\ngood = 22\n[heatmap]\nramp = [1, \"blue\", 3]\n",
                                  file: "p.toml", name: "p")
    XCTAssertEqual(t.accent, 9)
    XCTAssertEqual(t.good, 22)
    XCTAssertEqual(t.ramp, [1, 4, 3])
    XCTAssertEqual(t.bad, Theme.fallback.bad)
    XCTAssertEqual(t.name, "p")
  }

  func testNoColorMakesAnyThemeMonochrome() throws {
    let t = try ThemeLoader.resolve(name: "solarized", noColor: false, environment: ["NO_COLOR": "1"],
                                    searchPath: [Fixture.themesDir])
    XCTAssertTrue(t.monochrome)
    XCTAssertEqual(t.color(.accent), -1)
    let flag = try ThemeLoader.resolve(name: nil, noColor: true, environment: [:], searchPath: [Fixture.themesDir])
    XCTAssertTrue(flag.monochrome)
    let colourful = try ThemeLoader.resolve(name: nil, noColor: false, environment: ["NO_COLOR": ""],
                                            searchPath: [Fixture.themesDir])
    XCTAssertFalse(colourful.monochrome, "empty NO_COLOR does not count")
  }

  func testMonochromeExpressesRolesWithAttributes() {
    let mono = Theme.builtinMono
    XCTAssertTrue(mono.resolve(.role(.title)).bold)
    XCTAssertTrue(mono.resolve(.role(.bad)).underline)
    XCTAssertTrue(mono.resolve(Style(bg: .role(.selection))).reverse)
    XCTAssertTrue(mono.resolve(.role(.dim)).dim)
    XCTAssertEqual(mono.resolve(.role(.series(2))).fg, -1)
    let colour = Theme.fallback.resolve(.role(.accent))
    XCTAssertEqual(colour.fg, Theme.fallback.accent)
    XCTAssertFalse(colour.bold)
  }

  func testSearchPathAndColourFitting() {
    let p = ThemeLoader.defaultSearchPath(cwd: "/repo", executable: "/repo/.build/debug/rdnas")
    XCTAssertEqual(p.first, "/repo/themes")
    XCTAssertTrue(p.contains("/repo/themes"))
    XCTAssertTrue(p.contains("/repo/.build/themes") || p.count >= 2)
    XCTAssertEqual(ColorNames.index(of: "bright-blue"), 12)
    XCTAssertEqual(ColorNames.index(of: "default"), -1)
    XCTAssertEqual(ColorNames.fit(196, colors: 8), 1, "bright red cube colour → red")
    XCTAssertEqual(ColorNames.fit(39, colors: 256), 39)
    XCTAssertEqual(ColorNames.fit(-1, colors: 8), -1)
    for i in 0..<256 { XCTAssertTrue((0..<8).contains(ColorNames.fit(i, colors: 8)), "\(i)") }
  }

  func testTomlSubset() throws {
    let e = try TomlLite.parse("a = \"x # not a comment\" # comment\n[s]\nb = true\nc = [1, 'two', false]\nd = -3\n",
                               file: "f")
    XCTAssertEqual(e.map(\.path), ["a", "s.b", "s.c", "s.d"])
    XCTAssertEqual(e[0].value, .string("x # not a comment"))
    XCTAssertEqual(e[2].value, .array([.int(1), .string("two"), .bool(false)]))
    XCTAssertEqual(e[3].value, .int(-3))
    XCTAssertThrowsError(try TomlLite.parse("a = 1\na = 2\n", file: "f")) { XCTAssertTrue("\($0)".hasPrefix("f:2: duplicate")) }
    XCTAssertThrowsError(try TomlLite.parse("a = \"open\n", file: "f")) { XCTAssertTrue("\($0)".contains("unterminated")) }
    XCTAssertThrowsError(try TomlLite.parse("a = bare\n", file: "f")) { XCTAssertTrue("\($0)".contains("need quotes")) }
  }
}
