import XCTest
import RDNASTestSupport

@testable import Ranking

final class CorrelationTests: XCTestCase {
  func testAverageRanksShareTiedPositions() {
    // Sorted: 1 (pos 1), 2, 2 (pos 2,3 → 2.5), 5 (pos 4), 7, 7, 7 (pos 5,6,7 → 6)
    XCTAssertEqual(Ranks.average([7, 2, 5, 7, 1, 2, 7]), [6, 2.5, 4, 6, 1, 2.5, 6])
    XCTAssertEqual(Ranks.average([]), [])
    XCTAssertTrue(Ranks.average([1, .nan]).allSatisfy(\.isNaN))
  }

  func testDescendingRanksPutTheBestFirst() {
    // n = 4: descending = 5 − ascending; ascending of [10, 30, 20, 30] = [1, 3.5, 2, 3.5]
    XCTAssertEqual(Ranks.descending([10, 30, 20, 30]), [4, 1.5, 3, 1.5])
  }

  func testSpearmanSmallCaseWithTiesByHand() throws {
    // x = [1, 2, 2, 3] → ranks a = [1, 2.5, 2.5, 4]; y = [1, 3, 2, 2] → ranks b = [1, 4, 2.5, 2.5].
    // Both means are 2.5. a − 2.5 = [−1.5, 0, 0, 1.5]; b − 2.5 = [−1.5, 1.5, 0, 0].
    // Σ(da·db) = 2.25; Σda² = 4.5; Σdb² = 4.5 → ρ = 2.25 / 4.5 = 0.5
    XCTAssertEqual(try Spearman.rho([1, 2, 2, 3], [1, 3, 2, 2]), 0.5, accuracy: 1e-15)
  }

  func testPearsonSmallCaseByHand() throws {
    // x = [1, 2, 3], y = [1, 3, 2]: dx = [−1, 0, 1], dy = [−1, 1, 0]; Σdxdy = 1, Σdx² = 2, Σdy² = 2 → r = 0.5
    XCTAssertEqual(try Pearson.r([1, 2, 3], [1, 3, 2]), 0.5, accuracy: 1e-15)
  }

  func testPearsonIsStableFarFromZero() throws {
    let x: [Double] = [1e9 + 1, 1e9 + 2, 1e9 + 3]
    XCTAssertEqual(try Pearson.r(x, [1, 3, 2]), 0.5, accuracy: 1e-9)
  }

  func testDegenerateInputsGiveNaN() throws {
    for (x, y) in [([], []), ([1], [1]), ([2, 2, 2], [1, 2, 3]), ([1, 2, .nan], [1, 2, 3])] as [([Double], [Double])] {
      XCTAssertTrue(try Spearman.rho(x, y).isNaN, "\(x)")
      XCTAssertTrue(try Pearson.r(x, y).isNaN, "\(x)")
    }
  }

  func testMismatchedLengthsThrow() {
    assertThrowsRDNASError(.any, mentions: ["Spearman", "2 vs 1"]) { _ = try Spearman.rho([1, 2], [1]) }
    assertThrowsRDNASError(.any, mentions: ["Pearson", "1 vs 2"]) { _ = try Pearson.r([1], [1, 2]) }
  }
}

final class PrecisionAtTopTests: XCTestCase {
  func testKRounding() {
    XCTAssertEqual(PrecisionAtTop.k(n: 15_625, percent: 10), 1563)  // 1562.5 rounds away from zero
    XCTAssertEqual(PrecisionAtTop.k(n: 15, percent: 10), 2)  // 1.5 → 2
    XCTAssertEqual(PrecisionAtTop.k(n: 5, percent: 1), 1)  // never below 1
    XCTAssertEqual(PrecisionAtTop.k(n: 7, percent: 100), 7)
  }

  func testPlainOverlapWithoutTies() throws {
    // n = 10, 20 % → k = 2. Predicted top 2: items 9, 8. True top 2: items 9, 0. Overlap {9} → 1/2.
    let predicted: [Double] = (0..<10).map(Double.init)
    var truth = predicted
    truth[0] = 100
    XCTAssertEqual(try PrecisionAtTop.fraction(predicted, truth, percent: 20), 0.5)
    XCTAssertEqual(try PrecisionAtTop.fraction(predicted, predicted, percent: 30), 1)
    XCTAssertEqual(try PrecisionAtTop.fraction(predicted, predicted.map { -$0 }, percent: 30), 0)
  }

  func testTiesAtTheCutCountFractionally() throws {
    // predicted = [5, 4, 4, 4, 1], k = 2 (40 % of 5): item 0 is in (1); items 1–3 share 1 slot → 1/3 each.
    // truth top 2 = items 0 and 1 (membership 1 each).
    // overlap = 1·1 + (1/3)·1 = 4/3 → precision = (4/3) / 2 = 2/3
    XCTAssertEqual(try PrecisionAtTop.fraction([5, 4, 4, 4, 1], [9, 8, 1, 2, 3], percent: 40), 2.0 / 3, accuracy: 1e-15)
    // The value does not depend on the order of the tied items.
    XCTAssertEqual(try PrecisionAtTop.fraction([4, 5, 4, 1, 4], [8, 9, 1, 3, 2], percent: 40), 2.0 / 3, accuracy: 1e-15)
  }

  func testConstantPredictorScoresTheRandomBaseline() throws {
    // Every item has membership k/n = 2/10 in the predicted top; truth's top 2 contribute 2 · 0.2 / 2 = 0.2.
    let truth: [Double] = (0..<10).map(Double.init)
    XCTAssertEqual(try PrecisionAtTop.fraction([Double](repeating: 3, count: 10), truth, percent: 20), 0.2, accuracy: 1e-15)
  }

  func testErrorsAndNaN() throws {
    assertThrowsRDNASError(.any, mentions: ["percent", "(0, 100]"]) { _ = try PrecisionAtTop.fraction([1, 2], [1, 2], percent: 0) }
    assertThrowsRDNASError(.any, mentions: ["percent"]) { _ = try PrecisionAtTop.fraction([1, 2], [1, 2], percent: 101) }
    assertThrowsRDNASError(.any, mentions: ["precision", "2 vs 3"]) { _ = try PrecisionAtTop.fraction([1, 2], [1, 2, 3], percent: 10) }
    XCTAssertTrue(try PrecisionAtTop.fraction([1], [1], percent: 10).isNaN)
    XCTAssertTrue(try PrecisionAtTop.fraction([1, .nan], [1, 2], percent: 50).isNaN)
  }
}
