import XCTest
import Engine
@testable import Training

final class RankLossTests: XCTestCase {
  /// ℓ_a, ℓ_b as leaves so we can see exactly which receives gradient.
  func losses(_ a: Float, _ b: Float) -> (Tensor, Tensor) {
    (Tensor(shape: .scalar, values: [a], requiresGrad: true), Tensor(shape: .scalar, values: [b], requiresGrad: true))
  }

  func testOneSidedHingeReachesOnlyB() throws {
    // k_a < k_b: b should win; ℓ_b = 2 > ℓ_a = 1 → R = 1, gradient +1 on b only.
    var (la, lb) = losses(1, 2)
    var t = Tape(training: true)
    var r = PairwiseRankLoss.hinge(t, lossA: la, lossB: lb, priorA: 1, priorB: 5, margin: 0, symmetric: false)
    XCTAssertEqual(r.scalar, 1)
    try t.backward(r)
    XCTAssertNil(la.grad)
    XCTAssertEqual(lb.gradValues, [1])
    // k_a ≥ k_b: R = relu(ℓ_a − ℓ_b): the reference pushes b's loss *up* (gradient −1 on b).
    (la, lb) = losses(3, 2)
    t = Tape(training: true)
    r = PairwiseRankLoss.hinge(t, lossA: la, lossB: lb, priorA: 5, priorB: 1, margin: 0, symmetric: false)
    XCTAssertEqual(r.scalar, 1)
    try t.backward(r)
    XCTAssertNil(la.grad)
    XCTAssertEqual(lb.gradValues, [-1])
  }

  func testSymmetricHingeReachesBothAndMarginShifts() throws {
    let (la, lb) = losses(1, 1.2)
    let t = Tape(training: true)
    let r = PairwiseRankLoss.hinge(t, lossA: la, lossB: lb, priorA: 1, priorB: 5, margin: 0.5, symmetric: true)
    XCTAssertEqual(r.scalar, 0.7, accuracy: 1e-6)
    try t.backward(r)
    XCTAssertEqual(la.gradValues, [-1])
    XCTAssertEqual(lb.gradValues, [1])
  }

  func testSatisfiedPairGivesNoGradient() throws {
    let (la, lb) = losses(2, 1)
    let t = Tape(training: true)
    let r = PairwiseRankLoss.hinge(t, lossA: la, lossB: lb, priorA: 1, priorB: 5, margin: 0, symmetric: false)
    XCTAssertEqual(r.scalar, 0)
    try t.backward(r)
    XCTAssertEqual(lb.gradValues, [0])
    XCTAssertTrue(PairwiseRankLoss.concordant(lossA: 2, lossB: 1, priorA: 1, priorB: 5))
    XCTAssertFalse(PairwiseRankLoss.concordant(lossA: 1, lossB: 2, priorA: 1, priorB: 5))
  }
}
