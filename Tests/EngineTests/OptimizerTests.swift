import XCTest
import Common
@testable import Engine

final class OptimizerTests: XCTestCase {
  func param(_ name: String, _ values: [Float], kind: Parameter.Kind = .weight) -> (Parameter, ParameterStore) {
    let store = ParameterStore()
    let p = store.add(Parameter(name: name, shape: [values.count], kind: kind))
    p.values = values
    return (p, store)
  }

  func setGrad(_ p: Parameter, _ g: [Float]) {
    for i in 0..<g.count { p.grad[i] = g[i] }
    p.touched = true
  }

  /// Two steps worked by hand with PyTorch's SGD formulas (momentum 0.9, wd 0.1, lr 0.5):
  /// step 1: g = 1 + 0.1·2 = 1.2, buf = 1.2, w = 2 − 0.6 = 1.4
  /// step 2: g = 1 + 0.1·1.4 = 1.14, buf = 0.9·1.2 + 1.14 = 2.22, w = 1.4 − 1.11 = 0.29
  /// Nesterov step 2 instead: update = g + 0.9·buf = 1.14 + 1.998 = 3.138 → w = 1.4 − 1.569 = −0.169
  /// (Nesterov step 1: update = 1.2 + 0.9·1.2 = 2.28 → w = 2 − 1.14 = 0.86; step 2: g = 1.086,
  ///  buf = 1.08 + 1.086 = 2.166, update = 1.086 + 1.9494 = 3.0354 → w = 0.86 − 1.5177 = −0.6577)
  func testMomentumWeightDecayAndNesterovMatchHandWorkedSteps() {
    for (nesterov, expected) in [(false, [Float(1.4), 0.29]), (true, [0.86, -0.6577])] {
      let (p, store) = param("w", [2])
      var c = SGD.Config(); c.momentum = 0.9; c.weightDecay = 0.1; c.nesterov = nesterov
      let opt = SGD(store: store, config: c)
      setGrad(p, [1]); opt.step(lr: 0.5)
      XCTAssertEqual(p.value[0], expected[0], accuracy: 1e-5)
      setGrad(p, [1]); opt.step(lr: 0.5)
      XCTAssertEqual(p.value[0], expected[1], accuracy: 1e-5)
      XCTAssertEqual(p.grad[0], 0, "step clears gradients")
    }
  }

  func testNoDecayOnNormAndBiasUnlessAsked() {
    let (p, store) = param("bn.weight", [1], kind: .normScale)
    var c = SGD.Config(); c.momentum = 0; c.weightDecay = 0.5
    let opt = SGD(store: store, config: c)
    setGrad(p, [0]); opt.step(lr: 1)
    XCTAssertEqual(p.value[0], 1)
    opt.config.decayNormAndBias = true
    setGrad(p, [0]); opt.step(lr: 1)
    XCTAssertEqual(p.value[0], 0.5)
  }

  func testUntouchedParametersAreSkipped() {
    let (p, store) = param("w", [3])
    let opt = SGD(store: store, config: SGD.Config())
    setGrad(p, [1]); opt.step(lr: 1)
    let after = p.value[0]
    opt.step(lr: 1)  // no pass touched it: momentum must not move it
    XCTAssertEqual(p.value[0], after)
  }

  func testGlobalNormClipping() {
    let store = ParameterStore()
    let a = store.add(Parameter(name: "a", shape: [1], kind: .weight))
    let b = store.add(Parameter(name: "b", shape: [1], kind: .weight))
    var c = SGD.Config(); c.momentum = 0; c.clipNorm = 1
    let opt = SGD(store: store, config: c)
    setGrad(a, [3]); setGrad(b, [4])
    let norm = opt.step(lr: 1)
    XCTAssertEqual(norm, 5, accuracy: 1e-9)
    XCTAssertEqual(a.value[0], -0.6, accuracy: 1e-5)
    XCTAssertEqual(b.value[0], -0.8, accuracy: 1e-5)
  }

  func testSchedules() {
    let s = LRSchedule.warmupCosine(base: 1, warmupSteps: 10, totalSteps: 110, minimum: 0)
    XCTAssertEqual(s.lr(at: 0), 0.1, accuracy: 1e-6)
    XCTAssertEqual(s.lr(at: 9), 1, accuracy: 1e-6)
    XCTAssertEqual(s.lr(at: 60), 0.5, accuracy: 1e-6)
    XCTAssertEqual(s.lr(at: 110), 0, accuracy: 1e-6)
    XCTAssertEqual(LRSchedule.constant(0.3).lr(at: 1000), 0.3)
    let st = LRSchedule.step(base: 1, milestones: [5, 10], gamma: 0.1)
    XCTAssertEqual(st.lr(at: 4), 1); XCTAssertEqual(st.lr(at: 5), 0.1, accuracy: 1e-7)
    XCTAssertEqual(st.lr(at: 12), 0.01, accuracy: 1e-7)
  }
}
