import XCTest
@testable import Monitor

final class ScreenBufferTests: XCTestCase {
  func testTextTruncatesWithEllipsisAndClips() {
    var b = ScreenBuffer(width: 10, height: 2)
    XCTAssertEqual(b.text("hello world", x: 0, y: 0), 10)
    XCTAssertEqual(b.row(0), "hello wor…")
    b.text("abcdef", x: 7, y: 1)
    XCTAssertEqual(b.row(1), "       ab…")
    b.text("zzz", x: 0, y: 5)  // off-screen row: ignored
    b.text("xy", x: -1, y: 1)  // starts left of the clip: only what is inside lands
    XCTAssertEqual(b[0, 1].char, "y")
  }

  func testMaxWidthAndClipRect() {
    var b = ScreenBuffer(width: 12, height: 3)
    b.text("abcdefgh", x: 1, y: 0, maxWidth: 4)
    XCTAssertEqual(b.row(0), " abc…")
    b.withClip(Rect(x: 2, y: 1, width: 3, height: 1)) { $0.text("123456", x: 0, y: 1); $0.text("nope", x: 2, y: 2) }
    XCTAssertEqual(b.row(1), "  34…")  // cut with an ellipsis at the clip edge
    XCTAssertEqual(b.row(2), "")
    XCTAssertEqual(b.clip, b.bounds, "clip restored")
  }

  func testBoxWithTitleUnicodeAndASCII() {
    var b = ScreenBuffer(width: 12, height: 3)
    b.box(Rect(x: 0, y: 0, width: 12, height: 3), title: [Span("Hi")])
    XCTAssertEqual(b.renderText(), "╭─ Hi ─────╮\n│          │\n╰──────────╯")
    var a = ScreenBuffer(width: 12, height: 3, glyphs: .plainASCII)
    a.box(Rect(x: 0, y: 0, width: 12, height: 3), title: [Span("Hi")])
    XCTAssertEqual(a.renderText(), "+- Hi -----+\n|          |\n+----------+")
  }

  func testControlAndWideCharactersAreReplaced() {
    var b = ScreenBuffer(width: 6, height: 1)
    b.text("a\u{1}b漢c", x: 0, y: 0)
    XCTAssertEqual(b.row(0), "a?b?c")
  }

  func testASCIIModeTransliteratesEverything() {
    var b = ScreenBuffer(width: 20, height: 1, glyphs: .plainASCII)
    b.text("τ λ · … ⣿ ▀ ✓ ✗", x: 0, y: 0)
    XCTAssertEqual(b.row(0), "t L . ~ # # + x")
    XCTAssertTrue(b.renderText().unicodeScalars.allSatisfy { $0.isASCII })
  }

  func testSpansKeepStyles() {
    var b = ScreenBuffer(width: 8, height: 1)
    b.spans([Span("ab", .role(.good)), Span("cd", .role(.bad, bold: true))], x: 0, y: 0)
    XCTAssertEqual(b[1, 0].style.fg, .role(.good))
    XCTAssertEqual(b[2, 0].style, .role(.bad, bold: true))
  }

  func testRectTiling() {
    let r = Rect(x: 3, y: 0, width: 80, height: 10)
    let cols = r.columns([0.6, 0.4])
    XCTAssertEqual(cols.map(\.width).reduce(0, +), 80)
    XCTAssertEqual(cols[1].x, cols[0].maxX)
    let rows = r.rows([1, 1, 1])
    XCTAssertEqual(rows.map(\.height).reduce(0, +), 10)
    XCTAssertEqual(rows[1].y, rows[0].maxY)
    XCTAssertEqual(rows.last?.maxY, 10)
    XCTAssertEqual(r.inset(1), Rect(x: 4, y: 1, width: 78, height: 8))
  }
}
