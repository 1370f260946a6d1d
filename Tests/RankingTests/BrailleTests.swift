import XCTest
import RDNASTestSupport

@testable import Ranking

final class BrailleTests: XCTestCase {
  func testEachOfTheEightDotPositionsOfOneCell() {
    // Unicode braille: dots 1,2,3,7 (left column, top to bottom) = 0x01, 0x02, 0x04, 0x40;
    // dots 4,5,6,8 (right column) = 0x08, 0x10, 0x20, 0x80.
    let expected: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
    var all = BrailleCanvas(width: 1, height: 1)
    for row in 0..<4 {
      for column in 0..<2 {
        var canvas = BrailleCanvas(width: 1, height: 1)
        canvas.plot(dotX: column, dotY: row, value: 0.5)
        XCTAssertEqual(canvas.cells[0][0].bits, expected[row][column], "dot (\(column), \(row))")
        XCTAssertEqual(canvas.cells[0][0].character, Character(Unicode.Scalar(0x2800 + UInt32(expected[row][column]))!))
        all.plot(dotX: column, dotY: row, value: Double(row * 2 + column) / 8)
      }
    }
    XCTAssertEqual(all.cells[0][0].bits, 0xFF)
    XCTAssertEqual(all.cells[0][0].character, "⣿")
    XCTAssertEqual(all.cells[0][0].points, 8)
    XCTAssertEqual(all.cells[0][0].value, 7.0 / 8, "a cell keeps the largest value of its points")
  }

  func testDotsLandInTheRightCellAndOutsideIsIgnored() {
    var canvas = BrailleCanvas(width: 3, height: 2)
    canvas.plot(dotX: 5, dotY: 7, value: 1)  // last cell (row 1, column 2), its bottom-right dot 8
    canvas.plot(dotX: 2, dotY: 4, value: 0)  // row 1, column 1, dot 1
    canvas.plot(dotX: 6, dotY: 0, value: 1)
    canvas.plot(dotX: -1, dotY: 0, value: 1)
    canvas.plot(dotX: 0, dotY: 8, value: 1)
    XCTAssertEqual(canvas.cells[1][2].bits, 0x80)
    XCTAssertEqual(canvas.cells[1][1].bits, 0x01)
    XCTAssertEqual(canvas.cells.flatMap { $0 }.map(\.points).reduce(0, +), 2)
    XCTAssertEqual(canvas.brailleLines(), ["\u{2800}\u{2800}\u{2800}", "\u{2800}⠁⢀"])
    XCTAssertTrue(BrailleCanvas(width: 0, height: -3).cells.isEmpty)
  }

  func testScatterPutsBestRanksBottomLeft() throws {
    // Perfect agreement of 8 items on a 1 × 2-cell canvas (2 × 8 dots): rank r → dot column
    // round((r−1)/7·1), dot row from the bottom round((r−1)/7·7) = r − 1.
    let scores: [Double] = (1...8).map(Double.init)
    let scatter = try RankScatter(x: scores, y: scores)
    let cells = scatter.brailleCells(width: 1, height: 2)
    // Ranks 1–4 (scores 8…5) → bottom cell; rank 1,2,3,4 → columns 0,0,0,0 (≤ 0.43 rounds to 0), rows 7,6,5,4.
    XCTAssertEqual(cells[1][0].bits, 0x40 | 0x04 | 0x02 | 0x01)
    // Ranks 5–8 → column 1 (≥ 0.57), top cell rows 3,2,1,0.
    XCTAssertEqual(cells[0][0].bits, 0x80 | 0x20 | 0x10 | 0x08)
    XCTAssertEqual(cells[0][0].value, 0)
  }

  func testDisagreementIsNormalisedAbsoluteRankGap() throws {
    // x ranks (1 = best): scores [4, 3, 2, 1] → [1, 2, 3, 4]; y = [1, 2, 3, 4] → ranks [4, 3, 2, 1].
    // |Δ| = [3, 1, 1, 3], max 3 → [1, 1/3, 1/3, 1].
    let scatter = try RankScatter(x: [4, 3, 2, 1], y: [1, 2, 3, 4])
    XCTAssertEqual(scatter.points.map(\.rankX), [1, 2, 3, 4])
    XCTAssertEqual(scatter.points.map(\.disagreement), [1, 1.0 / 3, 1.0 / 3, 1])
    XCTAssertEqual(scatter.maxRankGap, 3)
    XCTAssertEqual(scatter.tau, -1, accuracy: 1e-15)
    assertThrowsRDNASError(.any, mentions: ["rank scatter", "3 vs 2"]) { _ = try RankScatter(x: [1, 2, 3], y: [1, 2]) }
    assertThrowsRDNASError(.any, mentions: ["score #2 is NaN"]) { _ = try RankScatter(x: [1, .nan], y: [1, 2]) }
  }

  func testAsciiFallbackByDensity() throws {
    var canvas = BrailleCanvas(width: 4, height: 1)
    for (column, count) in [(0, 1), (1, 2), (2, 3), (3, 8)] {
      for dot in 0..<count { canvas.plot(dotX: column * 2 + dot % 2, dotY: dot / 2, value: 0) }
    }
    // max 8 points: 1/8 ≤ ¼ '.', 2/8 ≤ ¼ '.', 3/8 ≤ ½ ':', 8/8 '#'
    XCTAssertEqual(canvas.asciiLines(), ["..:#"])
    // Cells hold 1, 4, 3 points; max 4: 1/4 '.', 4/4 '#', 3/4 '*'.
    var sparse = BrailleCanvas(width: 3, height: 1)
    sparse.plot(dotX: 0, dotY: 0, value: 0)
    for _ in 0..<3 { sparse.plot(dotX: 4, dotY: 0, value: 0) }
    for _ in 0..<4 { sparse.plot(dotX: 2, dotY: 0, value: 0) }
    XCTAssertEqual(sparse.asciiLines(), [".#*"])
  }

  func testSubsampleIsDeterministicAndKeepsStatistics() throws {
    let (x, y) = randomPairs(n: 1000, seed: 8)
    let full = try RankScatter(x: x, y: y)
    let part = full.subsampled(fraction: 0.3, seed: 4)
    XCTAssertEqual(part.points, full.subsampled(fraction: 0.3, seed: 4).points)
    XCTAssertTrue((250...350).contains(part.points.count), "\(part.points.count)")
    XCTAssertEqual(part.n, 1000)
    XCTAssertEqual(part.tau, full.tau)
    XCTAssertEqual(full.brailleLines(width: 40, height: 10).count, 10)
    XCTAssertTrue(full.asciiLines(width: 40, height: 10).allSatisfy { $0.count == 40 })
  }

  func testColourRampEnds() {
    XCTAssertEqual(DisagreementColor.rgb(0).hex, "#2c7bb6")
    XCTAssertEqual(DisagreementColor.rgb(1).hex, "#d7191c")
    XCTAssertEqual(DisagreementColor.rgb(.nan), DisagreementColor.rgb(0))
    XCTAssertEqual(DisagreementColor.rgb(7), DisagreementColor.rgb(1))
  }
}
