import XCTest
import Common
import Engine
import Search
@testable import Supernet

/// A resnet block's join (BN(conv2) + shortcut, then the ReLU) and its first BN + ReLU as one `Tape.nodeSumReLU`
/// each way, against the same network with the fusion off (oneDNN's BN, then addReLU; oneDNN's BN + ReLU).
final class ResNetJoinTests: XCTestCase {
  /// Loss and every parameter gradient agree to rounding, in training and in eval mode, on the largest and the
  /// smallest subnet and on random ones (identity and projection shortcuts, sliced widths); the fused network
  /// runs no separate BN for bn1, bn2 or the shortcut and no addReLU.
  func testFusedJoinsMatchTheUnfusedNetwork() throws {
    var c = ResNetSpace.Config()
    c.baseChannels = [4, 8, 8, 8]; c.maxDepths = [2, 2, 3, 2]; c.inputSize = 8; c.classes = 3
    let space = try ResNetSpace(config: c)
    let net = ResNetSupernet(space: space, seed: 11)
    defer { net.fusesJoins = true }
    var rng = RandomSource(seed: 4)
    // γ and β away from 1 and 0, so their folding into the pass is exercised.
    for p in net.store.all where p.name.hasSuffix(".weight") && p.shape.count == 1 {
      p.values = (0..<p.count).map { _ in 1 + 0.3 * rng.nextGaussian() }
    }
    for p in net.store.all where p.name.hasSuffix(".bias") && p.name.contains("bn") || p.name.hasSuffix("downsample.1.bias") {
      p.values = (0..<p.count).map { _ in 0.2 * rng.nextGaussian() }
    }
    let x = Tensor(shape: Shape(4, 3, 8, 8), values: (0..<(4 * 3 * 8 * 8)).map { _ in rng.nextGaussian() })
    let y: [Int32] = [0, 1, 2, 1]
    let archs = [space.largest, space.smallest] + (0..<3).map { _ in space.sample(using: &rng) }
    for training in [true, false] {
      for arch in archs {
        var runs: [[Float]] = []
        var ops: [[String: Int]] = []
        for fused in [true, false] {
          net.fusesJoins = fused
          let r = try lossAndGradients(net.store, net.store.trainable, training: training) { t in
            t.crossEntropy(net.logits(t, x, arch: arch), labels: y)
          }
          runs.append(r.values); ops.append(r.forwardCalls)
        }
        XCTAssertEqual(runs[0].count, runs[1].count)
        let (worst, scale) = largestDifference(runs[0], runs[1])
        XCTAssertLessThan(worst, 1e-4 * max(scale, 1), "\(space.format(arch)), training \(training)")
        let blocks = space.decode(arch).blocks.map(\.count).reduce(0, +)
        XCTAssertEqual(ops[0]["nodeSumReLU"], 2 * blocks, "a join and the first BN + ReLU as one op each, a block")
        XCTAssertNil(ops[0]["relu"], "no separate ReLU after a join")
        XCTAssertNil(ops[0]["addReLU"])
        XCTAssertEqual(ops[0].filter { $0.key.hasPrefix("batchNormReLU") }.values.reduce(0, +), 1,
                       "only the stem's BN + ReLU stays oneDNN's")
        XCTAssertEqual(ops[1]["addReLU"], blocks)
      }
    }
  }

  /// The same for the ResNet-20 of `rdnas bench --what engine`.
  func testFusedJoinsMatchTheUnfusedResNet20() throws {
    let net = ResNet20(inputChannels: 3, classes: 4, seed: 6)
    defer { net.fusesJoins = true }
    var rng = RandomSource(seed: 8)
    for p in net.store.trainable where p.shape.count == 1 && !p.name.hasPrefix("fc") {
      p.values = (0..<p.count).map { _ in (p.name.hasSuffix(".weight") ? 1 : 0) + 0.3 * rng.nextGaussian() }
    }
    let x = Tensor(shape: Shape(2, 3, 16, 16), values: (0..<(2 * 3 * 16 * 16)).map { _ in rng.nextGaussian() })
    let y: [Int32] = [3, 1]
    var runs: [[Float]] = []
    for fused in [true, false] {
      net.fusesJoins = fused
      runs.append(try lossAndGradients(net.store, net.store.trainable) { t in t.crossEntropy(net.logits(t, x), labels: y) }.values)
    }
    let (worst, scale) = largestDifference(runs[0], runs[1])
    XCTAssertLessThan(worst, 1e-4 * max(scale, 1))
  }
}
