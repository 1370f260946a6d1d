import Common
import XCTest
import RDNASTestSupport

@testable import Ranking

final class BootstrapTests: XCTestCase {
  let tau: Bootstrap.Statistic = { KendallTau.unchecked($0, $1) }

  func testIntervalContainsEstimateAndNarrowsWithN() throws {
    var widths = [Double]()
    for n in [50, 400, 3200] {
      let (x, y) = randomPairs(n: n, seed: UInt64(n))
      let estimate = try KendallTau.tauB(x, y)
      let ci = try Bootstrap.confidenceInterval(x: x, y: y, statistic: tau, resamples: 200, seed: 7)
      XCTAssertLessThanOrEqual(ci.low, estimate, "n \(n)")
      XCTAssertGreaterThanOrEqual(ci.high, estimate, "n \(n)")
      widths.append(ci.high - ci.low)
    }
    // Width shrinks like 1/√n: each 8× more pairs should at least halve it.
    XCTAssertLessThan(widths[1], widths[0] * 0.6, "\(widths)")
    XCTAssertLessThan(widths[2], widths[1] * 0.6, "\(widths)")
  }

  func testDeterministicForASeedAndDifferentAcrossSeeds() throws {
    let (x, y) = randomPairs(n: 300, seed: 3)
    let a = try Bootstrap.confidenceInterval(x: x, y: y, statistic: tau, resamples: 100, seed: 11)
    let b = try Bootstrap.confidenceInterval(x: x, y: y, statistic: tau, resamples: 100, seed: 11)
    let c = try Bootstrap.confidenceInterval(x: x, y: y, statistic: tau, resamples: 100, seed: 12)
    XCTAssertEqual(a.low, b.low)
    XCTAssertEqual(a.high, b.high)
    XCTAssertNotEqual(a.low, c.low)
  }

  func testPercentileMatchesNumpyLinearInterpolation() {
    // numpy.percentile([1..11], [2.5, 97.5]) = [1.25, 10.75]: h = 10·0.025 = 0.25 → 1 + 0.25·1
    let values = (1...11).map(Double.init).shuffled()
    let ci = Bootstrap.percentileInterval(values, level: 0.95)
    XCTAssertEqual(ci.low, 1.25, accuracy: 1e-12)
    XCTAssertEqual(ci.high, 10.75, accuracy: 1e-12)
  }

  func testMostlyNaNResamplesGiveNaNInterval() throws {
    XCTAssertTrue(Bootstrap.percentileInterval([.nan, .nan, 1], level: 0.9).low.isNaN)
    let ci = try Bootstrap.confidenceInterval(x: [1, 1, 1], y: [1, 2, 3], statistic: tau, resamples: 20, seed: 1)
    XCTAssertTrue(ci.low.isNaN && ci.high.isNaN)
  }

  func testBadSettingsThrow() {
    assertThrowsRDNASError(.any, mentions: ["resamples"]) { _ = try Bootstrap.confidenceInterval(x: [1, 2], y: [1, 2], statistic: self.tau, resamples: 0, seed: 1) }
    assertThrowsRDNASError(.any, mentions: ["level"]) { _ = try Bootstrap.confidenceInterval(x: [1, 2], y: [1, 2], statistic: self.tau, level: 1, seed: 1) }
    assertThrowsRDNASError(.any, mentions: ["bootstrap", "2 vs 3"]) { _ = try Bootstrap.confidenceInterval(x: [1, 2], y: [1, 2, 3], statistic: self.tau, seed: 1) }
  }

  /// The presorted weighted path (used by RankReport) must agree with evaluating the expanded resample.
  func testPresortedPathEqualsExpandedResamples() throws {
    for (seed, ties) in [(1, nil), (2, 2), (3, 6)] as [(UInt64, Int?)] {
      let (x, y) = randomPairs(n: 257, seed: seed, tieLevels: ties)
      let pairs = PresortedPairs(x: x, y: y)
      var scratch = pairs.makeScratch()
      var indices = [Int](repeating: 0, count: x.count)
      for r in 0..<20 {
        Bootstrap.drawIndices(n: x.count, resample: r, base: RandomSource(seed: seed), into: &indices)
        var weights = [Int32](repeating: 0, count: x.count)
        for i in indices { weights[i] += 1 }
        let sx = indices.map { x[$0] }, sy = indices.map { y[$0] }
        XCTAssertEqual(pairs.tau(weights, &scratch), KendallTau.unchecked(sx, sy), accuracy: 1e-13)
        XCTAssertEqual(pairs.spearman(weights, &scratch), Spearman.unchecked(sx, sy), accuracy: 1e-12)
        XCTAssertEqual(pairs.pearson(weights), Pearson.unchecked(sx, sy), accuracy: 1e-12)
        for percent in [1.0, 10, 50] {
          XCTAssertEqual(pairs.precision(weights, percent: percent, &scratch),
                         PrecisionAtTop.unchecked(sx, sy, percent: percent), accuracy: 1e-12, "p@\(percent) r \(r)")
        }
      }
    }
  }
}

final class RankReportTests: XCTestCase {
  func testReportValuesAndIntervals() throws {
    let (x, y) = randomPairs(n: 2000, seed: 5, tieLevels: 20)
    let report = try RankReport.compute(predicted: x, truth: y, resamples: 200, seed: 9)
    XCTAssertEqual(report.n, 2000)
    XCTAssertEqual(report.tau.value, try KendallTau.tauB(x, y))
    XCTAssertEqual(report.rho.value, try Spearman.rho(x, y))
    XCTAssertEqual(report.pearson.value, try Pearson.r(x, y))
    XCTAssertEqual(report.precision.map(\.percent), [1, 5, 10])
    XCTAssertEqual(report.precision.map(\.k), [20, 100, 200])
    XCTAssertEqual(report.precisionAt10Percent?.value, try PrecisionAtTop.fraction(x, y, percent: 10))
    for e in [report.tau, report.rho, report.pearson] + report.precision.map(\.estimate) {
      XCTAssertTrue(e.low <= e.value && e.value <= e.high, "\(e)")
      XCTAssertLessThan(e.high - e.low, 0.3)
    }
    XCTAssertTrue(report.description.contains("Kendall tau-b"))
    XCTAssertEqual(try RankReport.compute(predicted: x, truth: y, resamples: 200, seed: 9), report)
  }

  func testDegenerateReportIsNaNNotACrash() throws {
    let single = try RankReport.compute(predicted: [1], truth: [2], resamples: 10, seed: 1)
    XCTAssertTrue(single.tau.value.isNaN && single.tau.low.isNaN)
    let constant = try RankReport.compute(predicted: [3, 3, 3, 3], truth: [1, 2, 3, 4], resamples: 10, seed: 1)
    XCTAssertTrue(constant.rho.value.isNaN && constant.pearson.high.isNaN)
    let empty = try RankReport.compute(predicted: [], truth: [], resamples: 10, seed: 1)
    XCTAssertEqual(empty.n, 0)
    XCTAssertTrue(empty.precision[0].estimate.value.isNaN)
    assertThrowsRDNASError(.any, mentions: ["rank report", "2 vs 1"]) { _ = try RankReport.compute(predicted: [1, 2], truth: [1], seed: 1) }
    assertThrowsRDNASError(.any, mentions: ["percent"]) { _ = try RankReport.compute(predicted: [1, 2], truth: [1, 2], seed: 1, percents: [-1]) }
  }

  func testTimingOfAThousandResamplesOf15625() throws {
    let (x, y) = randomPairs(n: 15_625, seed: 42, tieLevels: 40)
    let start = Date()
    let report = try RankReport.compute(predicted: x, truth: y, resamples: 1000, seed: 1)
    let elapsed = Date().timeIntervalSince(start)
    XCTAssertFalse(report.tau.low.isNaN)
    XCTAssertLessThan(elapsed, 30, "1,000 resamples took \(elapsed) s")
  }
}
