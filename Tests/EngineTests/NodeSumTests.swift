import XCTest
import Common
@testable import Engine

/// `Tape.nodeSum` (an NB201 node's BN terms, plain terms and ReLU in one pass each way) against the plain ops it
/// replaces: oneDNN's BN per term, then the sum and the ReLU.
final class NodeSumTests: XCTestCase {
  /// Values, the input gradients of every term (fresh and added to a gradient already there), γ's and β's
  /// gradients (affine BN, added to the ones already there) and the running statistics, for several mixes of BN
  /// and plain terms; shapes with channels a multiple of 16 (the SIMD path, on two threads above the parallel
  /// threshold), below 16 and between (SIMD plus scalar tail); BN parameters wider than the channels used.
  func testMatchesBatchNormThenSumAndReLU() throws {
    let saved = DNNL.threads
    defer { DNNL.setThreads(saved) }
    let cases: [(Shape, Int, Int, Int, Bool)] = [  // shape, threads, BN terms, plain terms, ReLU
      (Shape(4, 16, 32, 32), 2, 2, 1, true), (Shape(4, 16, 32, 32), 2, 1, 0, false),
      (Shape(3, 32, 16, 16), 1, 3, 0, true), (Shape(2, 4, 5, 5), 1, 1, 2, true), (Shape(2, 20, 3, 3), 1, 2, 1, false),
      (Shape(5, 64, 8, 8), 2, 1, 1, true),
    ]
    for ((shape, threads, nBN, nPlain, wantReLU), affine) in cases.flatMap({ c in [false, true].map { (c, $0) } }) {
      DNNL.setThreads(threads)
      var rng = RandomSource(seed: UInt64(shape.count + nBN))
      let dySum = (0..<shape.count).map { _ in rng.nextGaussian() }
      let dyReLU = (0..<shape.count).map { _ in rng.nextGaussian() }
      let prior = (0..<shape.count).map { _ in rng.nextGaussian() }
      var results: [[Float]] = []
      var running: [[Float]] = []
      for fused in [true, false] {
        // BN inputs with a channel offset of 3 (a conv output need not be centred).
        let bnInputs = (0..<nBN).map { k in
          let t = randomTensor(shape, seed: UInt64(40 + k), scale: 2)
          for i in 0..<t.count { t.data[i] += 3 }
          return t
        }
        let plain = (0..<nPlain).map { randomTensor(shape, seed: UInt64(60 + $0)) }
        let store = ParameterStore()
        let bns = (0..<nBN).map { BatchNormParams("bn\($0)", channels: shape.c + (affine ? 3 : 0), affine: affine, in: store) }
        var prng = RandomSource(seed: 17)
        for bn in bns {
          randomizeAffine(bn, &prng)
          // A gradient already there: the backward must add to it.
          bn.gamma?.grad.update(repeating: 0.25, count: bn.channels); bn.beta?.grad.update(repeating: -0.5, count: bn.channels)
        }
        let t = Tape(training: true)
        let (s, r): (Tensor, Tensor?)
        if fused {
          (s, r) = try XCTUnwrap(t.nodeSum(plain: plain, normalized: Array(zip(bnInputs, bns)), relu: wantReLU))
        } else {
          let terms = plain + zip(bnInputs, bns).map { t.batchNorm($0, $1) }
          let sum = t.sum(terms)!
          (s, r) = (sum, wantReLU ? t.relu(sum) : nil)
        }
        // A gradient already on the first BN input: its backward must add to it.
        bnInputs.first?.accumulateGrad(prior)
        var loss = t.sum(t.multiplyConstant(s, Tensor(shape: shape, values: dySum)))
        if let r { loss = t.add(loss, t.sum(t.multiplyConstant(r, Tensor(shape: shape, values: dyReLU)))) }
        try t.backward(loss)
        results.append(s.values + (r?.values ?? []) + (bnInputs + plain).flatMap { $0.gradValues ?? [] }
                       + bns.flatMap { ($0.gamma?.gradValues ?? []) + ($0.beta?.gradValues ?? []) })
        running.append(bns.flatMap { $0.runningMean.values + $0.runningVar.values })
      }
      let scale = results[1].map(abs).max() ?? 1
      let worst = zip(results[0], results[1]).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThan(worst, 2e-5 * max(scale, 1), "\(shape), \(nBN) BN + \(nPlain) plain, \(threads) thread(s), affine \(affine)")
      XCTAssertEqual(results[0].count, results[1].count)
      for (a, b) in zip(running[0], running[1]) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b))) }
    }
  }

  /// Inputs, and γ and β where the BN terms are affine (folded into the pass), against finite differences; the
  /// same seeds as when the two cases were separate tests.
  func testGradientMatchesFiniteDifferences() throws {
    for (affine, seed) in [(false, UInt64(70)), (true, UInt64(75))] {
      let store = ParameterStore()
      let bns = (0..<2).map { BatchNormParams("bn\($0)", channels: 3, affine: affine, in: store) }
      var rng = RandomSource(seed: 74)
      for bn in bns {
        randomizeAffine(bn, &rng)
      }
      let xs = (0..<2).map { randomTensor(Shape(2, 3, 3, 3), seed: seed + UInt64($0)) }
      let plain = randomTensor(Shape(2, 3, 3, 3), seed: seed + 2)
      // Weighted so the loss is not invariant (Σ of a BN output is 0 whatever its input).
      let w = randomTensor(Shape(2, 3, 3, 3), seed: seed + 3, requiresGrad: false)
      try GradientCheck().run(inputs: xs + [plain], params: bns.flatMap { [$0.gamma, $0.beta].compactMap { $0 } }) { t in
        t.multiplyConstant(t.nodeSum(plain: [plain], normalized: Array(zip(xs, bns)), relu: false)!.sum, w)
      }
    }
  }

  /// A ReLU observer (a proxy reading activations) gets the plain ops, which show it the ReLU's input.
  func testFallsBackToThePlainOpsForAReLUObserver() throws {
    let shape = Shape(2, 16, 4, 4)
    let store = ParameterStore()
    let bn = BatchNormParams("bn", channels: 16, affine: true, in: store)
    let x = randomTensor(shape, seed: 80), p = randomTensor(shape, seed: 81)
    let observed = Tape(training: true)
    var seen: [Tensor] = []
    observed.reluObserver = { seen.append($0) }
    let a = observed.nodeSum(plain: [p], normalized: [(x, bn)], relu: true)!
    XCTAssertEqual(seen.count, 1)
    XCTAssertEqual(seen.first?.values, a.sum.values)
    let t = Tape(training: true)
    let s = t.add(p, t.batchNorm(x, bn))
    XCTAssertEqual(a.sum.values, s.values)
    XCTAssertEqual(a.relu?.values, t.relu(s).values)
  }

  /// Eval mode normalises with the running statistics (of the used prefix) and leaves them alone; its backward
  /// is γ·dy/√(var + eps) (γ = 1 when not affine). Against oneDNN's BN in eval mode, then the sum and the ReLU.
  func testEvalModeUsesTheRunningStatistics() throws {
    let shape = Shape(3, 20, 5, 5)
    for affine in [false, true] {
      var results: [[Float]] = []
      for fused in [true, false] {
        let store = ParameterStore()
        let bns = (0..<2).map { BatchNormParams("bn\($0)", channels: 24, affine: affine, in: store) }
        var rng = RandomSource(seed: 90)
        for bn in bns {
          randomizeAffine(bn, &rng)
          bn.runningMean.values = (0..<24).map { _ in rng.nextGaussian() }
          bn.runningVar.values = (0..<24).map { _ in 0.5 + abs(rng.nextGaussian()) }
        }
        let xs = (0..<2).map { randomTensor(shape, seed: UInt64(91 + $0)) }
        let p = randomTensor(shape, seed: 93)
        let t = Tape(training: false)
        let (s, r): (Tensor, Tensor?)
        if fused {
          (s, r) = try XCTUnwrap(t.nodeSum(plain: [p], normalized: Array(zip(xs, bns)), relu: true))
        } else {
          let sum = t.sum([p] + zip(xs, bns).map { t.batchNorm($0, $1) })!
          (s, r) = (sum, t.relu(sum))
        }
        let w = randomTensor(shape, seed: 94, requiresGrad: false)
        try t.backward(t.add(t.sum(t.multiplyConstant(try XCTUnwrap(r), w)), t.sum(t.multiplyConstant(s, w))))
        results.append(s.values + r!.values + (xs + [p]).flatMap { $0.gradValues ?? [] }
                       + bns.flatMap { $0.runningMean.values + $0.runningVar.values }
                       + bns.flatMap { ($0.gamma?.gradValues ?? []) + ($0.beta?.gradValues ?? []) })
      }
      XCTAssertEqual(results[0].count, results[1].count)
      let worst = zip(results[0], results[1]).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThan(worst, 1e-5 * max(1, results[1].map(abs).max() ?? 1), "affine \(affine)")
    }
  }

  /// `nodeSumReLU` (the resnet join: no pre-ReLU sum written, the ReLU's mask applied in the backward's first pass)
  /// gives exactly what `nodeSum(…, relu: true).relu` gives: values, every input's gradient (one already holding a
  /// gradient), γ's and β's gradients and the running statistics, in training and eval mode, affine or not, with
  /// an identity shortcut (a plain term) or a projected one (two BN terms), on the SIMD path with two threads and
  /// on a shape with a scalar tail.
  func testSumFreeReLUMatchesNodeSumsReLU() throws {
    let saved = DNNL.threads
    defer { DNNL.setThreads(saved) }
    let cases: [(Shape, Int, Int)] = [(Shape(4, 16, 32, 32), 2, 1), (Shape(4, 16, 32, 32), 2, 0), (Shape(2, 20, 3, 3), 1, 1),
                                       (Shape(3, 36, 4, 4), 1, 0)]  // shape, threads, plain terms (identity shortcut)
    for (shape, threads, nPlain) in cases {
      for training in [true, false] {
        for affine in [false, true] {
          DNNL.setThreads(threads)
          var results: [[Float]] = []
          for sumFree in [true, false] {
            let store = ParameterStore()
            let bns = (0..<(2 - nPlain)).map { BatchNormParams("bn\($0)", channels: shape.c + 2, affine: affine, in: store) }
            var rng = RandomSource(seed: 7)
            for bn in bns {
              randomizeAffine(bn, &rng)
              bn.runningVar.values = (0..<bn.channels).map { _ in 0.5 + abs(rng.nextGaussian()) }
              bn.gamma?.grad.update(repeating: 0.25, count: bn.channels)
            }
            let xs = bns.indices.map { randomTensor(shape, seed: UInt64(20 + $0), scale: 2) }
            let plain = (0..<nPlain).map { randomTensor(shape, seed: UInt64(30 + $0)) }
            (plain.first ?? xs[0]).accumulateGrad((0..<shape.count).map { _ in rng.nextGaussian() })
            let t = Tape(training: training)
            let r = sumFree ? t.nodeSumReLU(plain: plain, normalized: Array(zip(xs, bns)))
              : try XCTUnwrap(t.nodeSum(plain: plain, normalized: Array(zip(xs, bns)), relu: true)?.relu)
            let w = randomTensor(shape, seed: 40, requiresGrad: false)
            try t.backward(t.sum(t.multiplyConstant(r, w)))
            results.append(r.values + (xs + plain).flatMap { $0.gradValues ?? [] }
                           + bns.flatMap { ($0.gamma?.gradValues ?? []) + ($0.beta?.gradValues ?? []) }
                           + bns.flatMap { $0.runningMean.values + $0.runningVar.values })
          }
          let label = "\(shape) plain \(nPlain) training \(training) affine \(affine)"
          XCTAssertEqual(results[0].count, results[1].count, label)
          XCTAssertGreaterThan(results[0].count, 2 * shape.count, label)
          XCTAssertEqual(zip(results[0], results[1]).map { abs($0 - $1) }.max(), 0, label)
        }
      }
    }
  }

  /// γ ~ 1 + N(0, 0.5²) and β ~ N(0, 1) over all of `bn`'s channels (no-op for non-affine BN), drawn from `rng`.
  func randomizeAffine(_ bn: BatchNormParams, _ rng: inout RandomSource) {
    bn.gamma?.values = (0..<bn.channels).map { _ in 1 + 0.5 * rng.nextGaussian() }
    bn.beta?.values = (0..<bn.channels).map { _ in rng.nextGaussian() }
  }
}
