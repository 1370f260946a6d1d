import Foundation
import XCTest

@testable import Ranking

/// scipy's values for the same inputs (tools/make_rank_fixtures.py writes Fixtures/rank_fixtures.json).
final class ScipyFixtureTests: XCTestCase {
  struct Case: Decodable {
    var name: String
    var x: [Double]
    var y: [Double]
    var tau_b: Double?
    var spearman: Double?
    var pearson: Double?
    var precision_top10: Double
  }

  struct File: Decodable { var cases: [Case] }

  func loadCases() throws -> [Case] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/rank_fixtures", withExtension: "json"))
    return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
  }

  func testAllStatisticsMatchScipy() throws {
    let cases = try loadCases()
    XCTAssertGreaterThanOrEqual(cases.count, 10)
    for c in cases {
      XCTAssertClose(try KendallTau.tauB(c.x, c.y), c.tau_b ?? .nan, 1e-12, "tau " + c.name)
      XCTAssertClose(try Spearman.rho(c.x, c.y), c.spearman ?? .nan, 1e-12, "rho " + c.name)
      XCTAssertClose(try Pearson.r(c.x, c.y), c.pearson ?? .nan, 1e-12, "r " + c.name)
      XCTAssertClose(try PrecisionAtTop.fraction(c.x, c.y, percent: 10), c.precision_top10, 1e-12, "p@10 " + c.name)
    }
  }

  func testFixturesCoverTiesAndLargeSizes() throws {
    let cases = try loadCases()
    XCTAssertTrue(cases.contains { $0.x.count >= 1000 && Set($0.x).count <= 3 }, "a heavy-ties case of 1,000")
    XCTAssertTrue(cases.contains { $0.x.count >= 1000 && Set($0.x).count == $0.x.count }, "a tie-free case of 1,000")
    XCTAssertTrue(cases.contains { $0.tau_b == nil }, "an undefined case")
  }
}
