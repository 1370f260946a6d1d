import XCTest
@testable import Monitor

final class ChartTests: XCTestCase {
  func testBrailleBitsFollowTheUnicodeLayout() {
    var c = DotCanvas(columns: 1, rows: 1, ascii: false)
    c.set(0, 0, paint: .none)
    XCTAssertEqual(c.glyph(0, 0), "⠁")  // dot 1
    c.set(1, 3, paint: .none)
    XCTAssertEqual(c.glyph(0, 0), "⢁")  // dots 1 + 8 = U+2881
    var full = DotCanvas(columns: 1, rows: 1, ascii: false)
    for x in 0..<2 { for y in 0..<4 { full.set(x, y, paint: .none) } }
    XCTAssertEqual(full.glyph(0, 0), "⣿")
    XCTAssertNil(DotCanvas(columns: 1, rows: 1, ascii: false).glyph(0, 0))
  }

  func testKnownPointsLandOnExpectedDots() {
    // 3 cells × 2 rows of braille = 6 × 8 dots; x 0…10 and y 0…1.
    let s = ChartSeries(name: "s", points: [ChartPoint(x: 0, y: 1), ChartPoint(x: 10, y: 0)], paint: .role(.series(0)))
    var o = ChartOptions()
    o.envelope = false
    let c = LineChart.canvas([s], o, columns: 3, rows: 2, ascii: false, yRange: 0...1, xRange: 0...10)
    XCTAssertTrue(c.isSet(0, 0), "top-left for (0, max)")
    XCTAssertTrue(c.isSet(5, 7), "bottom-right for (10, min)")
    XCTAssertFalse(c.isSet(5, 0))
    XCTAssertFalse(c.isSet(0, 7))
    // The connecting line leaves no gap in any dot column.
    for x in 0..<6 { XCTAssertTrue((0..<8).contains { c.isSet(x, $0) }, "column \(x)") }
    XCTAssertEqual(LineChart.dotRow(0.5, range: 0...1, dotHeight: 9), 4)
    XCTAssertEqual(LineChart.dotColumn(5, range: 0...10, dotWidth: 11), 5)
  }

  func testASCIICanvasUsesMarks() {
    var c = DotCanvas(columns: 2, rows: 1, ascii: true)
    c.set(0, 0, paint: .none); c.set(1, 2, paint: .none)
    XCTAssertEqual(c.glyph(0, 0), "'")
    XCTAssertEqual(c.glyph(1, 0), "_")
  }

  func testYRangeCoversValuesEnvelopeAndDegenerateSeries() {
    let s = ChartSeries(name: "s", points: [ChartPoint(x: 0, y: 2, lo: 1, hi: 5), ChartPoint(x: 1, y: 3)], paint: .none)
    var o = ChartOptions()
    XCTAssertEqual(LineChart.yRange([s], o), 1...5)
    o.envelope = false
    XCTAssertEqual(LineChart.yRange([s], o), 2...3)
    let flat = ChartSeries(name: "f", points: [ChartPoint(x: 0, y: 4), ChartPoint(x: 1, y: 4)], paint: .none)
    let r = LineChart.yRange([flat], o)!
    XCTAssertLessThan(r.lowerBound, 4); XCTAssertGreaterThan(r.upperBound, 4)
    XCTAssertNil(LineChart.yRange([ChartSeries(name: "e", points: [], paint: .none)], o))
  }

  func testLogYSkipsNonPositiveAndUsesDecades() {
    let s = ChartSeries(name: "s", points: [ChartPoint(x: 0, y: 0), ChartPoint(x: 1, y: 10), ChartPoint(x: 2, y: 1000)],
                        paint: .none)
    var o = ChartOptions()
    o.logY = true
    XCTAssertEqual(LineChart.yRange([s], o), 1...3)
    XCTAssertNil(LineChart.transform(-1, logY: true))
    XCTAssertEqual(LineChart.transform(100, logY: true), 2)
    var b = ScreenBuffer(width: 30, height: 8)
    LineChart.draw([s], o, into: &b, rect: b.bounds)
    XCTAssertTrue(b.renderText().contains("1000"), "top label is the data value, not its log")
    XCTAssertTrue(b.renderText().contains("log y"))
  }

  func testEMAIsDebiasedAndSmooths() {
    XCTAssertEqual(LineChart.ema([1, 2, 3], weight: 0), [1, 2, 3])
    let e = LineChart.ema([5, 5, 5], weight: 0.9)
    for v in e { XCTAssertEqual(v, 5, accuracy: 1e-9) }  // debiased: no ramp from zero
    let s = LineChart.ema([0, 10], weight: 0.5)
    XCTAssertEqual(s[0], 0, accuracy: 1e-12)
    XCTAssertEqual(s[1], (0.5 * 0 * 0.5 + 0.5 * 10) / 0.75, accuracy: 1e-9)
    let noisy = (0..<200).map { $0 % 2 == 0 ? 1.0 : 3.0 }
    let sm = LineChart.ema(noisy, weight: 0.9)
    XCTAssertLessThan(abs(sm.last! - 2), 0.2)
  }

  func testChartDrawsAxesLabelsAndPlaceholder() {
    var b = ScreenBuffer(width: 40, height: 10)
    let s = ChartSeries(name: "s", points: (0..<50).map { ChartPoint(x: Double($0 * 10), y: Double($0)) }, paint: .role(.series(0)))
    LineChart.draw([s], ChartOptions(), into: &b, rect: b.bounds)
    let text = b.renderText()
    XCTAssertTrue(text.contains("49"), text)
    XCTAssertTrue(text.contains("490"), "last x label")
    XCTAssertTrue(text.contains("step"))
    XCTAssertTrue(text.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) }, "braille present")
    var e = ScreenBuffer(width: 40, height: 10)
    LineChart.draw([], ChartOptions(), into: &e, rect: e.bounds)
    XCTAssertTrue(e.renderText().contains("no data yet"))
  }

  func testCompactNumbers() {
    XCTAssertEqual(NumberFormat.compact(0), "0")
    XCTAssertEqual(NumberFormat.compact(0.7341), "0.734")
    XCTAssertEqual(NumberFormat.compact(12.345), "12.35")
    XCTAssertEqual(NumberFormat.compact(41_234_567), "41.2M")
    XCTAssertEqual(NumberFormat.compact(12_300), "12.3k")
    XCTAssertEqual(NumberFormat.compact(0.00012), "1.2e-4")
    XCTAssertEqual(NumberFormat.compact(-2.5), "-2.5")
    XCTAssertEqual(NumberFormat.grouped(58600), "58,600")
    XCTAssertEqual(NumberFormat.duration(3725), "1h02m")
  }

  func testSparklineAndBigNumber() {
    XCTAssertEqual(Sparkline.levels([0, 1, 2], steps: 8), [0, 4, 7])
    XCTAssertEqual(Sparkline.levels([3, 3], steps: 8), [4, 4])
    let rows = BigNumber.rows("0.7")
    XCTAssertEqual(rows.count, 3)
    XCTAssertEqual(rows[0].count, BigNumber.width("0.7"))
    XCTAssertEqual(rows[0], "█▀█   ▀▀█")
  }
}
