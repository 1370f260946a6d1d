import XCTest
import Common
@testable import Engine

final class NormalizationTests: XCTestCase {
  /// Naive BN over the first c channels with biased batch variance.
  func naiveBN(_ x: Tensor, gamma: [Float]?, beta: [Float]?, mean: [Float]? = nil, variance: [Float]? = nil) -> [Float] {
    let s = x.shape, c = s.c, rows = x.count / c
    var y = [Float](repeating: 0, count: x.count)
    for ch in 0..<c {
      var m = 0.0, v = 0.0
      if let mean, let variance { m = Double(mean[ch]); v = Double(variance[ch]) } else {
        for r in 0..<rows { m += Double(x.data[r * c + ch]) }
        m /= Double(rows)
        for r in 0..<rows { let d = Double(x.data[r * c + ch]) - m; v += d * d }
        v /= Double(rows)
      }
      for r in 0..<rows {
        let nx = (Double(x.data[r * c + ch]) - m) / (v + 1e-5).squareRoot()
        y[r * c + ch] = Float(nx * Double(gamma?[ch] ?? 1) + Double(beta?[ch] ?? 0))
      }
    }
    return y
  }

  func makeBN(_ channels: Int, affine: Bool, seed: UInt64) -> (BatchNormParams, ParameterStore) {
    let store = ParameterStore()
    let bn = BatchNormParams("bn", channels: channels, affine: affine, in: store)
    var rng = RandomSource(seed: seed)
    bn.gamma?.values = (0..<channels).map { _ in 1 + 0.3 * rng.nextGaussian() }
    bn.beta?.values = (0..<channels).map { _ in 0.3 * rng.nextGaussian() }
    return (bn, store)
  }

  func testTrainingForwardAndRunningUpdateOnPrefix() {
    let (bn, _) = makeBN(6, affine: true, seed: 1)
    let x = randomTensor(Shape(3, 4, 3, 3), seed: 2, scale: 2, requiresGrad: false)
    let y = Tape(training: true).batchNorm(x, bn)
    let ref = naiveBN(x, gamma: Array(bn.gamma!.values[0..<4]), beta: Array(bn.beta!.values[0..<4]))
    for (a, b) in zip(y.values, ref) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    // Running stats: prefix updated with momentum 0.1 and unbiased variance; the rest untouched.
    let rows = 27
    for ch in 0..<4 {
      var m = 0.0, v = 0.0
      for r in 0..<rows { m += Double(x.data[r * 4 + ch]) }
      m /= Double(rows)
      for r in 0..<rows { let d = Double(x.data[r * 4 + ch]) - m; v += d * d }
      XCTAssertEqual(Double(bn.runningMean.value[ch]), 0.1 * m, accuracy: 1e-5)
      XCTAssertEqual(Double(bn.runningVar.value[ch]), 0.9 + 0.1 * v / Double(rows - 1), accuracy: 1e-4)
    }
    XCTAssertEqual(Array(bn.runningMean.values[4...]), [0, 0])
    XCTAssertEqual(Array(bn.runningVar.values[4...]), [1, 1])
  }

  func testEvalUsesRunningStatistics() {
    let (bn, _) = makeBN(4, affine: true, seed: 3)
    bn.runningMean.values = [0.5, -0.2, 0.1, 2]
    bn.runningVar.values = [2, 0.5, 1, 3]
    let x = randomTensor(Shape(2, 4, 2, 2), seed: 4, requiresGrad: false)
    let y = Tape(training: false).batchNorm(x, bn)
    let ref = naiveBN(x, gamma: bn.gamma!.values, beta: bn.beta!.values, mean: bn.runningMean.values,
                      variance: bn.runningVar.values)
    for (a, b) in zip(y.values, ref) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    XCTAssertEqual(bn.runningMean.values, [0.5, -0.2, 0.1, 2], "eval must not update statistics")
  }

  func testGradientsTrainingAffineSliced() throws {
    let (bn, _) = makeBN(6, affine: true, seed: 5)
    let x = randomTensor(Shape(2, 4, 3, 3), seed: 6)
    try GradientCheck().run(inputs: [x], params: [bn.gamma!, bn.beta!]) { t in t.batchNorm(x, bn) }
    XCTAssertEqual(Array(bn.gamma!.gradValues[4...]), [0, 0])
  }

  func testGradientsTrainingNonAffine() throws {
    let (bn, _) = makeBN(4, affine: false, seed: 7)
    let x = randomTensor(Shape(3, 4, 2, 2), seed: 8)
    try GradientCheck().run(inputs: [x], params: []) { t in t.batchNorm(x, bn) }
  }

  func testGradientsEvalMode() throws {
    let (bn, _) = makeBN(5, affine: true, seed: 9)
    bn.runningMean.values = [0.1, 0.2, -0.3, 0.4, 0]
    bn.runningVar.values = [1.5, 0.7, 1, 2, 1]
    let x = randomTensor(Shape(2, 3, 2, 2), seed: 10)
    try GradientCheck().run(inputs: [x], params: [bn.gamma!, bn.beta!], training: false) { t in t.batchNorm(x, bn) }
  }

  func testBatchNormOnVectors() throws {
    let (bn, _) = makeBN(5, affine: true, seed: 11)
    let x = randomTensor(Shape(6, 5), seed: 12)
    try GradientCheck().run(inputs: [x], params: [bn.gamma!, bn.beta!]) { t in t.batchNorm(x, bn) }
  }

  // MARK: fused BN + ReLU

  func testFusedBatchNormReLUMatchesTheTwoOps() throws {
    for training in [true, false] {
      var results: [[Float]] = []
      for fused in [false, true] {
        let (bn, _) = makeBN(6, affine: true, seed: 13)
        bn.runningMean.values = [0.1, -0.2, 0.3, 0, 0.5, 0]
        bn.runningVar.values = [1.2, 0.8, 1, 2, 1, 1]
        let x = randomTensor(Shape(3, 5, 4, 4), seed: 14)
        let w = randomTensor(Shape(3, 5, 4, 4), seed: 15, requiresGrad: false)
        let t = Tape(training: training)
        let y = fused ? t.batchNormReLU(x, bn) : t.relu(t.batchNorm(x, bn))
        try t.backward(t.sum(t.multiplyConstant(y, w)))
        results.append(y.values + x.gradValues! + bn.gamma!.gradValues + bn.beta!.gradValues + bn.runningVar.values)
      }
      XCTAssertEqual(results[0].count, results[1].count)
      for (a, b) in zip(results[0], results[1]) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b)), "training \(training)") }
      XCTAssertGreaterThan(results[1].prefix(240).filter { $0 == 0 }.count, 50, "ReLU clipped nothing")
    }
  }

  func testFusedBatchNormReLUGradients() throws {
    let (bn, _) = makeBN(6, affine: true, seed: 16)
    let x = randomTensor(Shape(2, 4, 3, 3), seed: 17)
    // A smaller step than the default: a probe of 1e-2 on one input moves the batch statistics enough to
    // push some other output across the ReLU kink.
    try GradientCheck(h: 1e-3).run(inputs: [x], params: [bn.gamma!, bn.beta!]) { t in t.batchNormReLU(x, bn) }
  }

  func testFusedBatchNormReLUFallsBackWhenAProxyObservesTheReLU() {
    let (bn, _) = makeBN(4, affine: true, seed: 18)
    let x = randomTensor(Shape(2, 4, 2, 2), seed: 19, requiresGrad: false)
    let t = Tape(training: true)
    var seen = 0
    t.reluObserver = { _ in seen += 1 }
    _ = t.batchNormReLU(x, bn)
    XCTAssertEqual(seen, 1)
  }
}
