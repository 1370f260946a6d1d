import XCTest
import Common
import CDNNL
@testable import Engine

final class ActivationPoolingTests: XCTestCase {
  /// Inputs kept away from 0 so that the finite difference never straddles a ReLU/PReLU kink.
  func awayFromZero(_ shape: Shape, seed: UInt64) -> Tensor {
    var rng = RandomSource(seed: seed)
    let v = (0..<shape.count).map { _ -> Float in
      let g = rng.nextGaussian()
      return g >= 0 ? g + 0.1 : g - 0.1
    }
    return Tensor(shape: shape, values: v, requiresGrad: true)
  }

  func testReLUSwishMishForwardValues() {
    let x = Tensor(shape: Shape(1, 4), values: [-2, -0.5, 0.5, 3])
    let t = Tape(training: true)
    XCTAssertEqual(t.relu(x).values, [0, 0, 0.5, 3])
    let sw = t.swish(x).values, mi = t.mish(x).values
    for (i, v) in x.values.enumerated() {
      XCTAssertEqual(sw[i], v / (1 + exp(-v)), accuracy: 1e-5)
      XCTAssertEqual(mi[i], v * tanh(log(1 + exp(v))), accuracy: 1e-5)
    }
  }

  func testActivationGradients() throws {
    let x = awayFromZero(Shape(2, 3, 3, 3), seed: 1)
    try GradientCheck().run(inputs: [x], params: []) { t in t.relu(x) }
    try GradientCheck().run(inputs: [x], params: []) { t in t.swish(x) }
    try GradientCheck().run(inputs: [x], params: []) { t in t.mish(x) }
  }

  func testPReLUForwardAndGradient() throws {
    let slope = Parameter(name: "act.weight", shape: [1], kind: .normScale, fill: 0.25)
    let x = awayFromZero(Shape(2, 2, 3, 3), seed: 2)
    let y = Tape(training: true).prelu(x, slope: slope)
    for i in 0..<x.count { XCTAssertEqual(y.data[i], x.data[i] > 0 ? x.data[i] : 0.25 * x.data[i]) }
    try GradientCheck().run(inputs: [x], params: [slope]) { t in t.prelu(x, slope: slope) }
  }

  /// Naive NHWC average pooling; `exclude` = count_include_pad=False.
  func naivePool(_ x: Tensor, k: Int, stride: Int, pad: Int, exclude: Bool) -> [Float] {
    let s = x.shape
    let ho = (s.h + 2 * pad - k) / stride + 1, wo = (s.w + 2 * pad - k) / stride + 1
    var y = [Float]()
    for n in 0..<s.n { for oy in 0..<ho { for ox in 0..<wo { for c in 0..<s.c {
      var acc: Float = 0, cnt = 0
      for ky in 0..<k { for kx in 0..<k {
        let iy = oy * stride - pad + ky, ix = ox * stride - pad + kx
        guard iy >= 0, iy < s.h, ix >= 0, ix < s.w else { continue }
        acc += x.data[((n * s.h + iy) * s.w + ix) * s.c + c]; cnt += 1
      } }
      y.append(acc / Float(exclude ? cnt : k * k))
    } } } }
    return y
  }

  func testPoolingForwardMatchesNaive() {
    let x = randomTensor(Shape(2, 3, 6, 6), seed: 3, requiresGrad: false)
    let t = Tape(training: true)
    for (a, b) in zip(t.avgPool3x3(x).values, naivePool(x, k: 3, stride: 1, pad: 1, exclude: true)) {
      XCTAssertEqual(a, b, accuracy: 1e-5)
    }
    for (a, b) in zip(t.avgPool2x2(x).values, naivePool(x, k: 2, stride: 2, pad: 0, exclude: false)) {
      XCTAssertEqual(a, b, accuracy: 1e-5)
    }
    let g = t.globalAvgPool(x)
    XCTAssertEqual(g.shape, Shape(2, 3))
    for n in 0..<2 { for c in 0..<3 {
      var s: Float = 0
      for p in 0..<36 { s += x.data[(n * 36 + p) * 3 + c] }
      XCTAssertEqual(g.data[n * 3 + c], s / 36, accuracy: 1e-5)
    } }
  }

  func testPoolingGradients() throws {
    let x = randomTensor(Shape(2, 3, 4, 4), seed: 4)
    try GradientCheck().run(inputs: [x], params: []) { t in t.avgPool3x3(x) }
    try GradientCheck().run(inputs: [x], params: []) { t in t.avgPool2x2(x) }
    try GradientCheck().run(inputs: [x], params: []) { t in t.globalAvgPool(x) }
  }

  /// The separable avgPool3x3 against oneDNN's pooling (`pair`), forward and backward, with dx fresh and with a
  /// gradient already there (the backward adds): odd sizes (one row, one column, channels off the SIMD width) and
  /// an NB201-sized map on two threads (the team path, above BoxPool3x3.minParallelCount).
  func testBoxPoolMatchesOneDNNPooling() throws {
    let saved = DNNL.threads
    defer { DNNL.setThreads(saved) }
    for (shape, threads) in [(Shape(2, 3, 6, 6), 1), (Shape(3, 20, 1, 7), 1), (Shape(2, 5, 9, 1), 1), (Shape(1, 17, 1, 1), 1),
                             (Shape(4, 16, 32, 32), 2), (Shape(3, 32, 16, 16), 2)] {
      DNNL.setThreads(threads)
      try compareAgainstOneDNN(shape, tolerance: 1e-5, "\(shape), \(threads) thread(s)", ours: { $0.avgPool3x3($1) },
                               oneDNN: { $0.pair("avgPool3x3", $1, .avgPool(kernel: 3, stride: 1, pad: 1, excludePadding: true)) })
    }
  }

  /// One op of ours against its oneDNN `pair` reference on the same input: y, dx with a fresh gradient, and
  /// (after a second forward) dx added to a gradient already there, each within `tolerance` (0: bitwise).
  func compareAgainstOneDNN(_ shape: Shape, tolerance: Float, _ label: String, ours: (Tape, Tensor) -> Tensor,
                            oneDNN: (Tape, Tensor) -> Tensor) throws {
    var rng = RandomSource(seed: UInt64(shape.count))
    let dyValues = (0..<shape.count).map { _ in rng.nextGaussian() }
    let prior = (0..<shape.count).map { _ in rng.nextGaussian() }
    var results: [[[Float]]] = []
    for useOneDNN in [false, true] {
      var outs: [[Float]] = []
      for accumulate in [false, true] {
        let x = randomTensor(shape, seed: 9, requiresGrad: true)
        let t = Tape(training: true)
        let y = useOneDNN ? oneDNN(t, x) : ours(t, x)
        if accumulate { x.accumulateGrad(prior) }
        try t.backward(t.sum(t.multiplyConstant(y, Tensor(shape: shape, values: dyValues))))
        outs += [y.values, try XCTUnwrap(x.gradValues)]
      }
      results.append(outs)
    }
    for (k, what) in ["y", "dx", "y (accumulating)", "dx + prior"].enumerated() {
      let worst = zip(results[0][k], results[1][k]).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThanOrEqual(worst, tolerance, "\(what) at \(label)")
    }
    XCTAssertNotEqual(results[0][1], results[0][3], "the second backward adds to the gradient already there")
  }

  /// The Swift ReLU against oneDNN's eltwise ReLU (`pair`), forward and backward, the backward with a fresh
  /// gradient and adding to one already there; sizes off the SIMD width and, on two threads, above
  /// ReLUKernels.minParallelCount (the team path). And sumAndReLU against sum, then relu.
  func testReLUMatchesOneDNNEltwiseAndSumAndReLUMatchesTheTwoOps() throws {
    let saved = DNNL.threads
    defer { DNNL.setThreads(saved) }
    for (shape, threads) in [(Shape(2, 3, 3, 3), 1), (Shape(1, 7), 1), (Shape(4, 16, 32, 32), 2), (Shape(3, 5, 33, 37), 2)] {
      DNNL.setThreads(threads)
      try compareAgainstOneDNN(shape, tolerance: 0, "\(shape), \(threads) thread(s)", ours: { $0.relu($1) },
                               oneDNN: { $0.pair("relu", $1, .eltwise(alg: dnnl_eltwise_relu.rawValue, alpha: 0)) })
      let dyValues = randomTensor(shape, seed: 10).values

      // sumAndReLU of three terms: the same values and input gradients as the sum and the ReLU taken apart
      // (which is also what it falls back to under a ReLU observer).
      var pair: [[Float]] = []
      for fused in [true, false] {
        let terms = (0..<3).map { randomTensor(shape, seed: UInt64(20 + $0), requiresGrad: true) }
        let t = Tape(training: true)
        var observed = 0
        if !fused { t.reluObserver = { _ in observed += 1 } }
        let (s, r) = t.sumAndReLU(terms)
        // Both outputs carry gradient: the ReLU's (as a conv edge would) and the sum's own (as a skip edge would).
        let w = Tensor(shape: shape, values: dyValues)
        try t.backward(t.add(t.sum(t.multiplyConstant(r, w)), t.sum(t.multiplyConstant(s, w))))
        if !fused { XCTAssertEqual(observed, 1) }
        pair.append(s.values + r.values + terms.flatMap { $0.gradValues ?? [] })
      }
      XCTAssertEqual(pair[0], pair[1], "sumAndReLU at \(shape), \(threads) thread(s)")
    }
    // Finite differences away from the kink: a ≥ 0.1 from zero, |b| ≤ 0.04.
    let a = awayFromZero(Shape(2, 3, 3, 3), seed: 33)
    var rng = RandomSource(seed: 34)
    let b = Tensor(shape: a.shape, values: (0..<a.count).map { _ in (rng.nextGaussian() * 0.02).clamped(-0.04, 0.04) },
                   requiresGrad: true)
    try GradientCheck().run(inputs: [a, b], params: []) { t in t.sumAndReLU([a, b]).relu }
    try GradientCheck().run(inputs: [a, b], params: []) { t in t.sumAndReLU([a, b]).sum }
  }

  /// addReLU's backward against relu(add(a, b)) when a, b or neither already hold a gradient, and for a + a.
  func testAddReLUBackwardWithGradientsAlreadyThere() throws {
    let shape = Shape(2, 3, 5, 5)
    let prior = randomTensor(shape, seed: 40).values
    for (priorA, priorB, same) in [(false, false, false), (false, true, false), (true, false, false), (true, true, false),
                                   (false, false, true)] {
      var grads: [[Float]] = []
      for fused in [true, false] {
        let a = randomTensor(shape, seed: 41), b = same ? a : randomTensor(shape, seed: 42)
        let t = Tape(training: true)
        let y = fused ? t.addReLU(a, b) : t.relu(t.add(a, b))
        if priorA { a.accumulateGrad(prior) }
        if priorB && !same { b.accumulateGrad(prior) }
        try t.backward(t.sum(t.multiplyConstant(y, randomTensor(shape, seed: 43, requiresGrad: false))))
        grads.append((a.gradValues ?? []) + (same ? [] : b.gradValues ?? []))
      }
      XCTAssertEqual(grads[0], grads[1], "prior on a: \(priorA), on b: \(priorB), a + a: \(same)")
    }
  }

  func testAddReLUForwardGradientsAndFallback() throws {
    // 2·3·3·3 = 54 elements: three SIMD16 blocks and a scalar tail. a is ≥ 0.1 from zero, |b| ≤ 0.04.
    let a = awayFromZero(Shape(2, 3, 3, 3), seed: 31)
    var rng = RandomSource(seed: 32)
    let b = Tensor(shape: a.shape, values: (0..<a.count).map { _ in (rng.nextGaussian() * 0.02).clamped(-0.04, 0.04) },
                   requiresGrad: true)
    let y = Tape(training: true).addReLU(a, b)
    for i in 0..<a.count { XCTAssertEqual(y.data[i], max(a.data[i] + b.data[i], 0)) }
    try GradientCheck().run(inputs: [a, b], params: []) { t in t.addReLU(a, b) }
    // The same as the two ops, and the two ops are what a ReLU observer sees.
    let t = Tape(training: true)
    var observed = 0
    t.reluObserver = { _ in observed += 1 }
    XCTAssertEqual(t.addReLU(a, b).values, y.values)
    XCTAssertEqual(observed, 1)
  }
}

extension Float {
  func clamped(_ lo: Float, _ hi: Float) -> Float { Swift.min(Swift.max(self, lo), hi) }
}
