import Common
import Engine
import Foundation
import Search
import XCTest

@testable import Ranking

final class ProxyZenTests: ProxyTestCase {
  func testDeterministicForASeed() throws {
    let space = try proxySmallNB201()
    let arch = try space.parse("334131")
    let zen = ZenScore(batchSize: 4)
    let a = try zen.score(arch: arch, space: space, batch: nil, seed: 21)
    XCTAssertEqual(a, try zen.score(arch: arch, space: space, batch: nil, seed: 21))
    XCTAssertNotEqual(a, try zen.score(arch: arch, space: space, batch: nil, seed: 22))
    let twice = try ZenScore(batchSize: 4, repeats: 2).score(arch: arch, space: space, batch: nil, seed: 21)
    XCTAssertTrue(twice.isFinite)
    XCTAssertNotEqual(twice, a)
  }

  func testWiderNetworkOfTheSameDepthScoresHigher() throws {
    let arch = try NB201Space().parse("333131")
    let narrow = try ZenScore(batchSize: 4).score(arch: arch, space: try proxySmallNB201(C: 4), batch: nil, seed: 1)
    let wide = try ZenScore(batchSize: 4).score(arch: arch, space: try proxySmallNB201(C: 12), batch: nil, seed: 1)
    XCTAssertGreaterThan(wide, narrow + 1)
  }

  func testDisconnectedCellScoresLogZero() throws {
    let space = try proxySmallNB201()
    XCTAssertEqual(try ZenScore(batchSize: 4).score(arch: space.smallest, space: space, batch: nil, seed: 0),
                   ZeroCostProxies.logZero)
  }

  /// The probe recovers each BN's unbiased batch variance from its running statistics, per used channel,
  /// and ignores BNs that did not run.
  func testBatchVarianceProbeRecoversTheBatchVariance() throws {
    let store = ParameterStore()
    let used = BatchNormParams("used", channels: 3, in: store)
    _ = BatchNormParams("unused", channels: 2, in: store)
    let probe = BatchVarianceProbe(store: store)
    XCTAssertEqual(probe.layerCount, 2)
    var rng = RandomSource(seed: 2)
    // Two of the three channels on a [4, 2, 3, 3] input: the third channel stays unused.
    let x = Tensor(shape: Shape(4, 2, 3, 3), values: (0..<72).map { i in rng.nextGaussian() * Float(1 + i % 2) })
    let t = Tape(training: true)
    probe.arm(t)
    _ = t.batchNorm(x, used)
    var expected = 0.0
    for c in 0..<2 {
      let v = stride(from: c, to: 72, by: 2).map { Double(x.data[$0]) }
      let mean = v.reduce(0, +) / Double(v.count)
      expected += v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1) / 2
    }
    let got = probe.meanVariances()
    XCTAssertEqual(got.count, 1)
    XCTAssertEqual(got[0], expected, accuracy: 1e-5 * expected)
  }

  func testResNetSpaceRunsResidualFree() throws {
    let space = ResNetSpace()
    let z = try ZenScore(batchSize: 2, resolution: 8).score(arch: space.smallest, space: space, batch: nil, seed: 0)
    XCTAssertTrue(z.isFinite && z != ZeroCostProxies.logZero)
  }
}
