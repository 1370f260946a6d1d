import Foundation
import XCTest

@testable import Ranking

/// The paired τ difference and the rank ensemble against scipy (tools/make_paired_fixture.py writes
/// Fixtures/paired_fixtures.json).
final class PairedTauDifferenceTests: XCTestCase {
  struct Case: Decodable {
    var name: String
    var a: [Double], b: [Double], truth: [Double]
    var tau_a: Double, tau_b: Double, low: Double, high: Double
    var ensemble: [Double], ensemble_3_1: [Double]
  }

  struct File: Decodable { var cases: [Case] }

  func cases() throws -> [Case] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/paired_fixtures", withExtension: "json"))
    return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
  }

  /// Point values exactly; the interval within Monte-Carlo error of scipy's (different resample streams:
  /// 4,000 of ours against 20,000 of scipy's move a 2.5 % quantile by about 0.01 here).
  func testMatchesScipyPairedBootstrap() throws {
    let all = try cases()
    XCTAssertEqual(all.count, 3)
    for c in all {
      let d = try PairedTauDifference.compute(a: c.a, b: c.b, truth: c.truth, resamples: 4000, seed: 1)
      XCTAssertEqual(d.tauA, c.tau_a, accuracy: 1e-12, c.name)
      XCTAssertEqual(d.tauB, c.tau_b, accuracy: 1e-12, c.name)
      XCTAssertEqual(d.difference, c.tau_a - c.tau_b, accuracy: 1e-12, c.name)
      XCTAssertEqual(d.low, c.low, accuracy: 0.02, c.name)
      XCTAssertEqual(d.high, c.high, accuracy: 0.02, c.name)
    }
    // The first case is clearly better, the shared-noise case is not shown better: the decision follows.
    XCTAssertTrue(try PairedTauDifference.compute(a: all[0].a, b: all[0].b, truth: all[0].truth, seed: 1).aIsBetter)
    XCTAssertFalse(try PairedTauDifference.compute(a: all[1].a, b: all[1].b, truth: all[1].truth, seed: 1).aIsBetter)
  }

  /// Pairing matters: with noise shared by both rankings, the paired interval is much narrower than the
  /// difference of two unpaired intervals would suggest.
  func testPairedIntervalIsNarrowerThanUnpaired() throws {
    let c = try cases()[1]
    let d = try PairedTauDifference.compute(a: c.a, b: c.b, truth: c.truth, resamples: 2000, seed: 2)
    let tauA = try Bootstrap.confidenceInterval(x: c.a, y: c.truth, statistic: { (try? KendallTau.tauB($0, $1)) ?? .nan },
                                                resamples: 2000, seed: 2)
    XCTAssertLessThan(d.high - d.low, (tauA.high - tauA.low) * 0.8)
  }

  func testEnsembleRanksMatchScipy() throws {
    for c in try cases() {
      let even = try RankEnsemble.combine([c.a, c.b])
      let weighted = try RankEnsemble.combine([c.a, c.b], weights: [3, 1])
      for i in c.a.indices {
        XCTAssertEqual(even[i], c.ensemble[i], accuracy: 1e-12, c.name)
        XCTAssertEqual(weighted[i], c.ensemble_3_1[i], accuracy: 1e-12, c.name)
      }
    }
    XCTAssertThrowsError(try RankEnsemble.combine([[1, 2], [1]]))
    XCTAssertThrowsError(try RankEnsemble.combine([[1, 2], [2, 1]], weights: [0, 0]))
  }
}
