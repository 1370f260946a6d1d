import XCTest
@testable import Monitor

final class LayoutTests: XCTestCase {
  private func assertTiles(_ l: Layout, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(l.tooSmall, file: file, line: line)
    XCTAssertEqual(l.panes.count, 5, file: file, line: line)
    XCTAssertEqual(l.status, Rect(x: 0, y: l.height - 1, width: l.width, height: 1), file: file, line: line)
    let area = l.panes.values.reduce(0) { $0 + $1.width * $1.height }
    XCTAssertEqual(area, l.width * (l.height - 1), "panes tile the body", file: file, line: line)
    let rects = Array(l.panes.values)
    for i in rects.indices {
      XCTAssertTrue(l.body.intersection(rects[i]) == rects[i], "inside the body", file: file, line: line)
      for j in rects.indices where j > i {
        XCTAssertTrue(rects[i].intersection(rects[j]).isEmpty, "\(rects[i]) overlaps \(rects[j])", file: file, line: line)
      }
    }
  }

  func testLayout80x24() {
    let l = Layout.compute(width: 80, height: 24)
    assertTiles(l)
    for (p, r) in l.panes {
      XCTAssertGreaterThanOrEqual(r.height, 6, "\(p) needs room for content")
      XCTAssertGreaterThanOrEqual(r.width, 28, "\(p)")
    }
    XCTAssertEqual(l.panes[.loss]?.x, 0)
    XCTAssertEqual(l.panes[.loss]?.y, 0)
  }

  func testLayout100x30AndWide() {
    assertTiles(Layout.compute(width: 100, height: 30))
    let wide = Layout.compute(width: 160, height: 50)
    assertTiles(wide)
    XCTAssertEqual(wide.panes[.subnets]?.y, wide.panes[.pairs]?.y, "wide: bottom row of three")
    XCTAssertEqual(wide.panes[.pairs]?.y, wide.panes[.landmarks]?.y)
  }

  func testMaximisedPaneTakesTheBody() {
    let l = Layout.compute(width: 80, height: 24, maximised: .pairs)
    XCTAssertEqual(l.panes, [.pairs: Rect(x: 0, y: 0, width: 80, height: 23)])
  }

  func testTooSmall() {
    XCTAssertTrue(Layout.compute(width: 59, height: 24).tooSmall)
    XCTAssertTrue(Layout.compute(width: 80, height: 15).tooSmall)
    XCTAssertFalse(Layout.compute(width: 60, height: 16).tooSmall)
    let ui = Fixture.busyUI()
    let b = Fixture.render(ui, width: 50, height: 10)
    let lines = b.renderText().split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }
    XCTAssertEqual(lines.count, 1, "a single line")
    XCTAssertEqual(lines.first.map { String($0).trimmingCharacters(in: .whitespaces) },
                   "terminal too small (50×10, need ≥ 60×16)")
  }

  func testEveryPaneShowsSomethingAt80x24() {
    let b = Fixture.render(Fixture.busyUI(), width: 80, height: 24)
    let text = b.renderText()
    for p in PaneID.allCases { XCTAssertTrue(text.contains("\(p.rawValue) \(p.title)"), "title of \(p)\n\(text)") }
    XCTAssertTrue(text.contains("tot "), "loss legend (short labels at 80 columns)")
    XCTAssertTrue(text.contains("rank ") && text.contains("lr "), "every loss term fits in the legend")
    XCTAssertTrue(text.contains("concordant"), "pairs summary")
    XCTAssertTrue(text.contains("4 landmarks"), "landmark header")
    XCTAssertTrue(text.contains("Kendall τ vs GT"), "τ headline")
    XCTAssertTrue(text.contains("L 5551111"), "a sampled encoding (compact: no resolution digit)")
    XCTAssertTrue(b.row(23).contains("test-run"), "status bar")
    XCTAssertTrue(b.row(23).contains("RUNNING"))
  }

  func testEmptyModelShowsPlaceholdersNotGarbage() {
    let text = Fixture.render(MonitorUI(), width: 80, height: 24).renderText()
    XCTAssertTrue(text.contains("waiting for the first step"))
    XCTAssertTrue(text.contains("no landmarks yet"))
    XCTAssertTrue(text.contains("WAITING"))
  }

  func testASCIIRenderingIsPureASCII() {
    let b = Fixture.render(Fixture.busyUI(ascii: true), width: 100, height: 30)
    XCTAssertTrue(b.renderText().unicodeScalars.allSatisfy(\.isASCII))
    XCTAssertTrue(b.renderText().contains("+- 1 Loss curves"))
  }
}
