import XCTest
@testable import Engine

final class GradientCheckTests: XCTestCase {
  /// The checker itself must catch a wrong backward, or every gradient test below proves nothing.
  func testCheckerRejectsAWrongBackward() throws {
    let x = randomTensor(Shape(2, 3), seed: 1)
    let bad = try GradientCheck().mismatches(inputs: [x], params: []) { t in
      let y = Tensor(shape: x.shape, requiresGrad: true)
      for i in 0..<x.count { y.data[i] = x.data[i] * x.data[i] }
      t.record("wrongSquare", y) {
        guard let dy = y.grad else { return }
        let g = (0..<x.count).map { dy[$0] * x.data[$0] }  // should be 2·x·dy
        g.withUnsafeBufferPointer { x.accumulateGrad($0.baseAddress!) }
      }
      return y
    }
    XCTAssertFalse(bad.isEmpty)
  }
}
