import XCTest
@testable import Monitor

final class HeatmapTests: XCTestCase {
  func testRampIndexMapping() {
    XCTAssertEqual(Heatmap.rampIndex(0, range: 0...10, steps: 5), 0)
    XCTAssertEqual(Heatmap.rampIndex(10, range: 0...10, steps: 5), 4)
    XCTAssertEqual(Heatmap.rampIndex(5, range: 0...10, steps: 5), 2)
    XCTAssertEqual(Heatmap.rampIndex(99, range: 0...10, steps: 5), 4, "clamped")
    XCTAssertEqual(Heatmap.rampIndex(.nan, range: 0...10, steps: 5), 0)
    XCTAssertEqual(Heatmap.resample(4, to: 2), [0, 2])
    XCTAssertEqual(Heatmap.resample(2, to: 4), [0, 0, 1, 1])
  }

  func testColourModeFoldsTwoRowsPerCellWithRampRoles() {
    var b = ScreenBuffer(width: 10, height: 5)
    let m: [[Double]] = [[0, 10], [10, 0]]
    let r = Heatmap.draw(m, range: 0...10, into: &b, rect: b.bounds, color: true, rampSteps: 5)
    XCTAssertEqual(r.height, 1)
    XCTAssertEqual(b[0, 0].char, "▀")
    XCTAssertEqual(b[0, 0].style.fg, .role(.ramp(0)))  // row 0 col 0 = 0
    XCTAssertEqual(b[0, 0].style.bg, .role(.ramp(4)))  // row 1 col 0 = 10
    let cw = Heatmap.cellWidth(columns: 2, width: 10)
    XCTAssertEqual(cw, 3)
    XCTAssertEqual(b[cw, 0].style.fg, .role(.ramp(4)))
    XCTAssertEqual(b[cw, 0].style.bg, .role(.ramp(0)))
  }

  func testMonochromeUsesASCIIRamp() {
    var b = ScreenBuffer(width: 6, height: 3)
    let m: [[Double]] = [[0, 9], [4.5, 9]]
    Heatmap.draw(m, range: 0...9, into: &b, rect: Rect(x: 0, y: 0, width: 2, height: 3), color: false, rampSteps: 10)
    XCTAssertEqual(b[0, 0].char, " ")
    XCTAssertEqual(b[1, 0].char, "@")
    XCTAssertEqual(b[0, 1].char, Array(" .:-=+*#%@")[5])
    XCTAssertEqual(b[0, 2].char, " ", "only two matrix rows")
  }

  func testThemeResolvesRampRolesToItsColours() {
    let t = Theme.fallback
    XCTAssertEqual(t.color(.ramp(0)), t.ramp.first)
    XCTAssertEqual(t.color(.ramp(t.ramp.count - 1)), t.ramp.last)
    XCTAssertEqual(t.color(.ramp(999)), t.ramp.last, "clamped to the ramp")
    var mono = t
    mono.monochrome = true
    XCTAssertEqual(mono.color(.ramp(3)), -1)
  }
}
