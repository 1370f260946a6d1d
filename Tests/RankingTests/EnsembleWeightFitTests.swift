import XCTest
@testable import Ranking

final class EnsembleWeightFitTests: XCTestCase {
  // Fixture and expectation from scipy: numpy default_rng(7), truth ~ N(0,1), a and b = truth + N(0, 0.9²), rounded
  // to 3 decimals; for w = 1.00, 0.95, …, 0.00 the τ-b of w·rank(a) + (1−w)·rank(b) against truth
  // (scipy.stats.kendalltau, rankdata) peaks first at w = 0.25 with τ = 0.5889252434210647 (a alone 0.4286, b 0.5165).
  let truth = [0.001, 0.299, -0.274, -0.891, -0.455, -0.992, 0.06, 1.34, -0.492, -0.62, 0.49, 0.357, 0.105, -0.93]
  let a = [-0.025, 0.925, -1.484, -1.303, -2.166, -2.153, -1.598, 1.128, -1.633, -0.376, 0.631, 0.189, -2.16, -1.415]
  let b = [-0.043, 0.401, -1.651, -1.321, -1.336, -1.72, 1.015, 0.613, -0.521, 0.176, -0.035, 0.256, 0.204, -0.873]

  func testFitMatchesScipysGridSearch() throws {
    let fit = try EnsembleWeightFit.fit(columns: [a, b], truth: truth, step: 0.05)
    XCTAssertEqual(fit.weights[0], 0.25, accuracy: 1e-12)
    XCTAssertEqual(fit.weights[1], 0.75, accuracy: 1e-12)
    XCTAssertEqual(fit.tau, 0.5889252434210647, accuracy: 1e-12)
    XCTAssertEqual(fit.candidates, 21)
    // The fitted ensemble beats both inputs on these cells, and is what RankEnsemble.combine computes with the weights.
    XCTAssertGreaterThan(fit.tau, try KendallTau.tauB(b, truth))
    XCTAssertEqual(try KendallTau.tauB(try RankEnsemble.combine([a, b], weights: fit.weights), truth), fit.tau, accuracy: 1e-12)
  }

  func testAPerfectInputTakesAllTheWeight() throws {
    let fit = try EnsembleWeightFit.fit(columns: [b, truth.map { $0 * 3 }], truth: truth, step: 0.1)
    // τ = 1 is reached first at (0.1, 0.9): a tenth of b's ranks does not reorder the perfect ones here.
    XCTAssertEqual(fit.tau, 1, accuracy: 1e-12)
    XCTAssertGreaterThanOrEqual(fit.weights[1], 0.9)
  }

  func testGridOfThreeInputsAndBadInput() throws {
    XCTAssertEqual(EnsembleWeightFit.compositions(of: 20, into: 3).count, 231)
    XCTAssertTrue(EnsembleWeightFit.compositions(of: 4, into: 3).allSatisfy { $0.reduce(0, +) == 4 })
    XCTAssertEqual(try EnsembleWeightFit.fit(columns: [a, b, truth], truth: truth, step: 0.5).weights, [0, 0, 1])
    XCTAssertThrowsError(try EnsembleWeightFit.fit(columns: [a, b], truth: truth, step: 0.3))
    XCTAssertThrowsError(try EnsembleWeightFit.fit(columns: [a], truth: truth))
    XCTAssertThrowsError(try EnsembleWeightFit.fit(columns: [a, Array(b.prefix(5))], truth: truth))
  }
}
