import XCTest
import RDNASTestSupport

@testable import Ranking

/// The textbook O(n²) τ-b, kept here as the oracle for Knight's algorithm.
func referenceTauB(_ x: [Double], _ y: [Double]) -> Double {
  let n = x.count
  guard n >= 2 else { return .nan }
  var concordant = 0.0, discordant = 0.0, tiesXOnly = 0.0, tiesYOnly = 0.0
  for i in 0..<n {
    for j in (i + 1)..<n {
      let dx = x[i] - x[j], dy = y[i] - y[j]
      if dx == 0 && dy == 0 { continue }
      if dx == 0 { tiesXOnly += 1 } else if dy == 0 { tiesYOnly += 1 } else if (dx > 0) == (dy > 0) { concordant += 1 } else { discordant += 1 }
    }
  }
  // τ-b = (C − D) / √((C + D + Tx)(C + D + Ty)), Tx/Ty = pairs tied in x only / y only.
  return (concordant - discordant) / ((concordant + discordant + tiesXOnly) * (concordant + discordant + tiesYOnly)).squareRoot()
}

final class KendallTauTests: XCTestCase {
  func testSmallCaseWithTiesByHand() throws {
    // x = [1, 2, 2, 3], y = [1, 3, 2, 2]. Pairs (i<j):
    //  (0,1) dx>0 dy>0 C   (0,2) C   (0,3) C
    //  (1,2) dx=0 dy<0 → tied in x only
    //  (1,3) dx>0 dy<0 D   (2,3) dx>0 dy=0 → tied in y only
    // C = 3, D = 1, Tx = 1, Ty = 1: τ-b = (3 − 1) / √((3+1+1)(3+1+1)) = 2/5 = 0.4
    XCTAssertEqual(try KendallTau.tauB([1, 2, 2, 3], [1, 3, 2, 2]), 0.4, accuracy: 1e-15)
  }

  func testJointTiesAreIgnoredInBothTerms() throws {
    // x = [1, 1, 2], y = [5, 5, 6]: pair (0,1) tied in both (excluded everywhere), (0,2) C, (1,2) C.
    // tot = 3, xtie = 1, ytie = 1, ntie = 1: τ = (3 − 1 − 1 + 1 − 0) / √2 / √2 = 2/2 = 1
    XCTAssertEqual(try KendallTau.tauB([1, 1, 2], [5, 5, 6]), 1, accuracy: 1e-15)
  }

  func testPerfectAndReversedOrder() throws {
    let x: [Double] = [3, 1, 4, 1.5, 9, 2.6]
    XCTAssertEqual(try KendallTau.tauB(x, x.map { 2 * $0 + 1 }), 1, accuracy: 1e-15)
    XCTAssertEqual(try KendallTau.tauB(x, x.map { -$0 }), -1, accuracy: 1e-15)
  }

  func testKnightMatchesQuadraticReferenceOnRandomData() throws {
    for (seed, n, ties) in [(1, 2, nil), (2, 7, nil), (3, 300, nil), (4, 300, 3), (5, 513, 1), (6, 1000, 8)] as [(UInt64, Int, Int?)] {
      let (x, y) = randomPairs(n: n, seed: seed, tieLevels: ties)
      XCTAssertClose(try KendallTau.tauB(x, y), referenceTauB(x, y), 1e-12, "seed \(seed) n \(n) ties \(String(describing: ties))")
    }
  }

  func testDegenerateInputsGiveNaN() throws {
    XCTAssertTrue(try KendallTau.tauB([], []).isNaN)
    XCTAssertTrue(try KendallTau.tauB([1], [2]).isNaN)
    XCTAssertTrue(try KendallTau.tauB([1, 1, 1], [1, 2, 3]).isNaN)
    XCTAssertTrue(try KendallTau.tauB([1, 2, 3], [4, 4, 4]).isNaN)
    XCTAssertTrue(try KendallTau.tauB([1, .nan, 3], [1, 2, 3]).isNaN)
  }

  func testInfinitiesAreOrdinaryValues() throws {
    XCTAssertEqual(try KendallTau.tauB([-.infinity, 0, .infinity], [1, 2, 3]), 1, accuracy: 1e-15)
  }

  func testMismatchedLengthsThrow() {
    assertThrowsRDNASError(.any, mentions: ["Kendall", "3 vs 2"]) { _ = try KendallTau.tauB([1, 2, 3], [1, 2]) }
  }

  func testInversionCountSorts() {
    var values: [Int32] = [3, 1, 2, 2, 0]
    // Strict inversions: (3,1) (3,2) (3,2) (3,0) (1,0) (2,0) (2,0) = 7
    XCTAssertEqual(Inversions.countSorting(&values), 7)
    XCTAssertEqual(values, [0, 1, 2, 2, 3])
  }

  func testSpeedOn15625Pairs() throws {
    let (x, y) = randomPairs(n: 15_625, seed: 99)
    let start = Date()
    let tau = try KendallTau.tauB(x, y)
    let elapsed = Date().timeIntervalSince(start)
    XCTAssertTrue(tau > 0.3 && tau < 0.5, "tau \(tau)")
    // Generous bound so a debug build on a busy machine passes; release takes a few ms.
    XCTAssertLessThan(elapsed, 2.0)
  }
}
