import XCTest
import Common
import Engine
import Search
@testable import Supernet

/// The NB201 cell shares one ReLU per node among the conv edges leaving it, so a node's gradient arrives
/// from several edges and the ReLU's backward runs once on the sum. Checked against central finite
/// differences of the whole network's loss, on a code whose node 0 feeds three conv edges.
final class NB201GradientTests: XCTestCase {
  func testWholeNetworkGradientMatchesFiniteDifferences() throws {
    var c = NB201Space.Config()
    c.C = 4; c.N = 1; c.inputSize = 8; c.classes = 3
    let space = try NB201Space(config: c)
    let net = NB201Supernet(space: space, seed: 9)
    let arch = Encoding(digits: [3, 2, 1, 3, 4, 2])  // edges 1←0, 2←0, 3←0 are conv, conv, conv
    var rng = RandomSource(seed: 2)
    let x = Tensor(shape: Shape(4, 3, 8, 8), values: (0..<(4 * 3 * 8 * 8)).map { _ in rng.nextGaussian() })
    let y: [Int32] = [0, 1, 2, 1]
    func loss() -> (Tape, Tensor) {
      let t = Tape(training: true)
      t.precision = .fp32
      return (t, t.crossEntropy(net.logits(t, x, arch: arch), labels: y))
    }
    let (t, l) = loss()
    try t.backward(l)
    // One weight tensor per conv edge of the first cell (index 0) and of the stem.
    let names = ["cells.0.edges.0.nor_conv_3x3.conv.weight", "cells.0.edges.1.nor_conv_1x1.conv.weight",
                 "cells.0.edges.3.nor_conv_3x3.conv.weight", "stem.0.weight"]
    let params = Dictionary(uniqueKeysWithValues: net.store.all.map { ($0.name, $0) })
    for name in names {
      let p = try XCTUnwrap(params[name], name)
      let analytic = p.gradValues
      for i in stride(from: 0, to: p.count, by: max(1, p.count / 5)) {
        let h: Float = 1e-3
        var v = p.values
        let original = v[i]
        v[i] = original + h; p.values = v
        let up = loss().1.data[0]
        v[i] = original - h; p.values = v
        let down = loss().1.data[0]
        v[i] = original; p.values = v
        let numeric = (up - down) / (2 * h)
        XCTAssertEqual(analytic[i], numeric, accuracy: 2e-3 + 0.05 * abs(numeric), "\(name)[\(i)]")
      }
    }
  }

  /// The pool of a node is also taken once and shared by the avg-pool edges leaving it (here 2←0 and 3←0): one
  /// pooling per node in the forward pass, and a gradient that flows through the shared pool into two node sums.
  /// Element-wise central differences are unreliable on this code (ReLU kinks and batch-4 BN: they wander by
  /// ±20 % between h = 1e-2 and 3e-4 while converging), so the whole gradient is checked by the directional
  /// derivative along itself, (L(w + εĝ) − L(w − εĝ)) / 2ε = |g|, at an ε where that has converged.
  func testSharedNodePoolGradientMatchesTheDirectionalDerivative() throws {
    var c = NB201Space.Config()
    c.C = 4; c.N = 1; c.inputSize = 8; c.classes = 3
    let space = try NB201Space(config: c)
    let net = NB201Supernet(space: space, seed: 9)
    let arch = Encoding(digits: [3, 4, 2, 4, 1, 3])
    var rng = RandomSource(seed: 2)
    let x = Tensor(shape: Shape(4, 3, 8, 8), values: (0..<(4 * 3 * 8 * 8)).map { _ in rng.nextGaussian() })
    let y: [Int32] = [0, 1, 2, 1]
    func loss(_ t: Tape = Tape(training: true)) -> Tensor {
      t.precision = .fp32
      return t.crossEntropy(net.logits(t, x, arch: arch), labels: y)
    }
    let counted = Tape(training: true)
    counted.profile = OpProfile()
    _ = loss(counted)
    // Three cells (one per stage at N = 1), each with two avg-pool edges leaving node 0: 3 poolings, not 6.
    XCTAssertEqual(counted.profile?.forward["avgPool3x3"]?.calls, 3, "one pooling per node and cell")
    let t = Tape(training: true)
    try t.backward(loss(t))
    let params = net.store.trainable
    let grads = params.map(\.gradValues), base = params.map(\.values)
    let norm = grads.reduce(Float(0)) { $0 + $1.reduce(0) { $0 + $1 * $1 } }.squareRoot()
    func shifted(_ step: Float) -> Float {
      for (k, p) in params.enumerated() { p.values = zip(base[k], grads[k]).map { $0 + step / norm * $1 } }
      defer { for (k, p) in params.enumerated() { p.values = base[k] } }
      return loss().data[0]
    }
    let eps: Float = 3e-5
    let directional = (shifted(eps) - shifted(-eps)) / (2 * eps)
    XCTAssertEqual(directional, norm, accuracy: 0.015 * norm)
  }

  /// A node's edge BNs, sum and ReLU are one op each way (`Tape.nodeSum`), and a cell's output ReLU serves the
  /// next cell's node 0 or the reduction block's input. The same network with that fusion off (oneDNN's BN per
  /// edge, then the sum, then the ReLU) must agree to rounding: loss and every parameter gradient, at N = 2 (cell
  /// to cell and cell to reduction) on codes where node 0, node 3, both or neither feed a conv edge.
  func testFusedNodeReLUsMatchTheUnfusedNetwork() throws {
    var c = NB201Space.Config()
    c.C = 4; c.N = 2; c.inputSize = 8; c.classes = 3
    let space = try NB201Space(config: c)
    let net = NB201Supernet(space: space, seed: 5)
    defer { net.fusesNodes = true }
    var rng = RandomSource(seed: 3)
    let x = Tensor(shape: Shape(4, 3, 8, 8), values: (0..<(4 * 3 * 8 * 8)).map { _ in rng.nextGaussian() })
    let y: [Int32] = [0, 1, 2, 1]
    for digits in [[3, 2, 1, 3, 4, 2], [1, 3, 2, 4, 3, 3], [4, 1, 1, 1, 4, 1], [2, 2, 0, 2, 3, 0], [1, 4, 3, 0, 2, 4]] {
      let arch = Encoding(digits: digits.map(UInt8.init))
      var runs: [[Float]] = []
      var relus: [Int] = []
      for fused in [true, false] {
        net.fusesNodes = fused
        let r = try lossAndGradients(net.store, net.store.all) { t in t.crossEntropy(net.logits(t, x, arch: arch), labels: y) }
        runs.append(r.values)
        relus.append(r.forwardCalls["relu"] ?? 0)
      }
      XCTAssertEqual(runs[0].count, runs[1].count)
      let (worst, scale) = largestDifference(runs[0], runs[1])
      XCTAssertLessThan(worst, 1e-4 * scale, "\(digits)")
      XCTAssertEqual(relus[0], relus[1], "\(digits): as many ReLUs on the tape, fused or not")
    }
  }
}
