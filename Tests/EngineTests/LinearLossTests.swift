import XCTest
import Common
@testable import Engine

final class LinearLossTests: XCTestCase {
  func testLinearForwardMatchesNaiveOnSlice() {
    let x = randomTensor(Shape(3, 4), seed: 1, requiresGrad: false)
    let w = randomParameter("fc.weight", [6, 5], seed: 2), b = randomParameter("fc.bias", [6], seed: 3, kind: .bias)
    let y = Tape(training: true).linear(x, w, bias: b, outFeatures: 5)
    for r in 0..<3 { for o in 0..<5 {
      var acc = Double(b.value[o])
      for i in 0..<4 { acc += Double(x.data[r * 4 + i] * w.value[o * 5 + i]) }
      XCTAssertEqual(Double(y.data[r * 5 + o]), acc, accuracy: 1e-5)
    } }
  }

  func testLinearGradientsOnSlice() throws {
    let x = randomTensor(Shape(3, 4), seed: 4)
    let w = randomParameter("fc.weight", [6, 5], seed: 5), b = randomParameter("fc.bias", [6], seed: 6, kind: .bias)
    try GradientCheck().run(inputs: [x], params: [w, b]) { t in t.linear(x, w, bias: b, outFeatures: 5) }
    for i in 0..<5 { XCTAssertEqual(w.grad[5 * 5 + i], 0, "row outside the slice") }
    for o in 0..<6 { XCTAssertEqual(w.grad[o * 5 + 4], 0, "column outside the slice") }
    XCTAssertEqual(b.grad[5], 0)
  }

  func testCrossEntropyValueAndGradient() throws {
    let logits = Tensor(shape: Shape(2, 3), values: [1, 2, 3, 0, 0, 0], requiresGrad: true)
    let t = Tape(training: true)
    let l = t.crossEntropy(logits, labels: [2, 0])
    let l0 = -log(exp(3.0) / (exp(1.0) + exp(2.0) + exp(3.0))), l1 = log(3.0)
    XCTAssertEqual(Double(l.scalar), (l0 + l1) / 2, accuracy: 1e-6)
    let z = randomTensor(Shape(4, 5), seed: 7)
    try GradientCheck().run(inputs: [z], params: []) { t in t.crossEntropy(z, labels: [0, 4, 2, 2]) }
  }

  func testSoftCrossEntropyValueAndGradient() throws {
    let z = randomTensor(Shape(3, 4), seed: 8)
    let teacher = softmaxRows(randomTensor(Shape(3, 4), seed: 9).data, rows: 3, classes: 4)
    let l = Tape(training: true).softCrossEntropy(z, target: teacher)
    let p = softmaxRows(z.data, rows: 3, classes: 4)
    var ref = 0.0
    for i in 0..<12 { ref -= Double(teacher[i]) * log(Double(p[i])) }
    XCTAssertEqual(Double(l.scalar), ref / 3, accuracy: 1e-5)
    try GradientCheck().run(inputs: [z], params: []) { t in t.softCrossEntropy(z, target: teacher) }
    // With the teacher equal to the one-hot label, soft CE equals hard CE.
    let onehot: [Float] = [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0]
    let t = Tape(training: true)
    XCTAssertEqual(t.softCrossEntropy(z, target: onehot).scalar, t.crossEntropy(z, labels: [0, 2, 1]).scalar,
                   accuracy: 1e-6)
  }

  func testElementwiseGradients() throws {
    let a = randomTensor(Shape(2, 3, 2, 2), seed: 10), b = randomTensor(Shape(2, 3, 2, 2), seed: 11)
    try GradientCheck().run(inputs: [a, b], params: []) { t in t.add(a, b) }
    try GradientCheck().run(inputs: [a, b], params: []) { t in t.subtract(a, b) }
    try GradientCheck().run(inputs: [a], params: []) { t in t.scale(a, -1.7) }
    try GradientCheck().run(inputs: [a], params: []) { t in t.shift(a, 0.3) }
    try GradientCheck().run(inputs: [a], params: []) { t in t.mean(a) }
    try GradientCheck().run(inputs: [a], params: []) { t in t.sum(a) }
    try GradientCheck().run(inputs: [a], params: []) { t in t.sliceChannels(a, 2) }
    try GradientCheck().run(inputs: [a, b], params: []) { t in t.sum([a, b, a])! }
    let c = randomTensor(Shape(2, 3, 2, 2), seed: 12)
    try GradientCheck().run(inputs: [a, b, c], params: []) { t in t.sum([c, a, b, c])! }
  }

  func testNodeSumValuesInOnePass() {
    // 37 floats: two 16-float blocks and a 5-float tail; four inputs, so the k-way loop runs, not `add`.
    let xs = (0..<4).map { randomTensor(Shape(1, 37, 1, 1), seed: 20 + UInt64($0)) }
    let t = Tape(training: false)
    let y = t.sum(xs)!
    for i in 0..<37 {
      XCTAssertEqual(y.data[i], ((xs[0].data[i] + xs[1].data[i]) + xs[2].data[i]) + xs[3].data[i], accuracy: 1e-6)
    }
    XCTAssertTrue(t.sum([xs[0]])! === xs[0], "a one-term node is its input, not a copy")
    XCTAssertNil(t.sum([]))
  }

  /// A sum's backward hands its gradient buffer to one input instead of copying it. Exact gradients where an
  /// input appears twice, where it already holds a gradient from another consumer, and where it does not.
  func testSumGradientHandOverAccumulatesCorrectly() throws {
    let shape = Shape(1, 37, 1, 1)
    let a = Tensor(shape: shape, values: (0..<37).map { Float($0) }, requiresGrad: true)
    let b = Tensor(shape: shape, values: (0..<37).map { Float(-$0) }, requiresGrad: true)
    let c = Tensor(shape: shape, values: [Float](repeating: 1, count: 37), requiresGrad: false)
    let t = Tape(training: true)
    // L = Σ 3·(a + a) + Σ sum(b, a, c, b) + Σ 2·b  ⇒  dL/da = 6 + 1 = 7, dL/db = 1 + 1 + 2 = 4, c has none.
    let l = t.add(t.add(t.sum(t.scale(t.add(a, a), 3)), t.sum(t.sum([b, a, c, b])!)), t.sum(t.scale(b, 2)))
    try t.backward(l)
    XCTAssertEqual(try XCTUnwrap(a.gradValues), [Float](repeating: 7, count: 37))
    XCTAssertEqual(try XCTUnwrap(b.gradValues), [Float](repeating: 4, count: 37))
    XCTAssertNil(c.grad)
  }

  func testSliceChannelsAndZerosLikeValues() {
    let x = Tensor(shape: Shape(1, 3, 1, 2), values: [1, 2, 3, 4, 5, 6])  // NHWC: pixel0 = 1,2,3
    let t = Tape(training: true)
    XCTAssertEqual(t.sliceChannels(x, 2).values, [1, 2, 4, 5])
    let z = t.zerosLike(x)
    XCTAssertEqual(z.values, [0, 0, 0, 0, 0, 0])
    XCTAssertFalse(z.requiresGrad)
  }

  func testStopGradientBlocksFlow() throws {
    let a = randomTensor(Shape(1, 3), seed: 12)
    let t = Tape(training: true)
    let l = t.sum(t.add(t.stopGradient(a), t.scale(a, 2)))
    try t.backward(l)
    XCTAssertEqual(a.gradValues!, [2, 2, 2])
  }

  func testNonFiniteLossNamesTheOp() {
    let x = Tensor(shape: Shape(1, 3), values: [1, .nan, 2], requiresGrad: true)
    let t = Tape(training: true)
    let l = t.sum(t.shift(t.scale(x, 2), 1))
    XCTAssertThrowsError(try t.backward(l)) { e in
      guard case RDNASError.nonFinite(let op, _) = e else { return XCTFail("\(e)") }
      XCTAssertTrue(op.hasPrefix("scale"), op)
    }
  }
}
