import XCTest
import Common
import Engine
import Search
@testable import Supernet

/// The analytic FLOPs/params of the search spaces against networks actually built and run.
final class SupernetCostTests: XCTestCase {
  func measured(_ net: Supernet, _ arch: Encoding, channels: Int, size: Int) -> CostCounter {
    let t = Tape(training: true)
    t.costs = CostCounter()
    let x = Tensor(shape: Shape(2, channels, size, size), values: [Float](repeating: 0.5, count: 2 * channels * size * size))
    _ = net.logits(t, x, arch: arch)
    return t.costs!
  }

  func testResNetFLOPsAndParamsMatchBuiltStandaloneNets() throws {
    var cfg = ResNetSpace.Config()
    cfg.baseChannels = [8, 16, 16, 32]
    cfg.maxDepths = [3, 2, 3, 2]
    let space = try ResNetSpace(config: cfg)
    var rng = RandomSource(seed: 1)
    for arch in [space.largest, space.smallest] + (0..<6).map({ _ in space.sample(using: &rng) }) {
      let net = ResNetSupernet(standalone: arch, space: space, seed: 2)
      let c = measured(net, arch, channels: 3, size: 32)
      let flops = c.convMACs + 2 * c.batchNormElements + c.globalPoolCost + c.linearMACs
      XCTAssertEqual(space.flops(arch), flops, accuracy: 0.5, space.format(arch))
      XCTAssertEqual(space.params(arch), net.store.parameterCount, space.format(arch))
      // The same subnet run inside the supernet computes exactly the same work.
      let sup = ResNetSupernet(space: space, seed: 2)
      let s = measured(sup, arch, channels: 3, size: 32)
      XCTAssertEqual(s.convMACs, c.convMACs)
    }
  }

  func testPReLUAddsOneParameterPerBlock() throws {
    var cfg = ResNetSpace.Config()
    cfg.baseChannels = [8, 8, 8, 8]; cfg.maxDepths = [2, 2, 2, 2]; cfg.outerActivationHasParameter = true
    let space = try ResNetSpace(config: cfg)
    let net = ResNetSupernet(standalone: space.largest, space: space, activation: .prelu, seed: 1)
    XCTAssertEqual(space.params(space.largest), net.store.parameterCount)
  }

  func testNB201FLOPsAndParamsMatchBuiltStandaloneNets() throws {
    var cfg = NB201Space.Config()
    cfg.C = 4; cfg.N = 1
    let space = try NB201Space(config: cfg)
    var rng = RandomSource(seed: 3)
    for arch in [try space.parse("333333"), try space.parse("000000"), try space.parse("123401")]
      + (0..<5).map({ _ in space.sample(using: &rng) }) {
      let net = NB201Supernet(space: space, seed: 4, standalone: arch)
      let c = measured(net, arch, channels: 3, size: 32)
      // NB201 convention: conv + linear MACs + 2·BN elements, pools free.
      XCTAssertEqual(space.flops(arch), c.convMACs + c.linearMACs + 2 * c.batchNormElements, accuracy: 0.5,
                     space.format(arch))
      XCTAssertEqual(space.params(arch), net.store.parameterCount, space.format(arch))
    }
  }

  func testLargestSubnetOfSupernetMatchesStandaloneWithSameWeights() throws {
    var cfg = ResNetSpace.Config()
    cfg.baseChannels = [8, 8, 16, 16]; cfg.maxDepths = [2, 2, 2, 2]
    let space = try ResNetSpace(config: cfg)
    let sup = ResNetSupernet(space: space, seed: 5)
    let alone = ResNetSupernet(standalone: space.largest, space: space, seed: 6)
    XCTAssertEqual(Set(sup.store.all.map(\.name)), Set(alone.store.all.map(\.name)))
    for p in alone.store.all { p.values = sup.store[p.name]!.values }
    var rng = RandomSource(seed: 7)
    let x = Tensor(shape: Shape(2, 3, 32, 32), values: (0..<(2 * 3 * 32 * 32)).map { _ in rng.nextGaussian() })
    let a = sup.logits(Tape(training: false), x, arch: space.largest).values
    let b = alone.logits(Tape(training: false), x, arch: space.largest).values
    XCTAssertEqual(a, b)
  }

  func testChannelReorderKeepsTheLargestFunctionAndSortsImportance() throws {
    var cfg = ResNetSpace.Config()
    cfg.baseChannels = [8, 8, 16, 16]; cfg.maxDepths = [2, 2, 2, 2]
    let space = try ResNetSpace(config: cfg)
    let net = ResNetSupernet(space: space, seed: 8)
    var rng = RandomSource(seed: 9)
    // Give BN1 non-trivial statistics so a wrong permutation would show.
    for p in net.store.all where p.name.contains("bn1") {
      p.values = (0..<p.count).map { _ in 0.5 + abs(rng.nextGaussian()) }
    }
    let x = Tensor(shape: Shape(2, 3, 16, 16), values: (0..<(2 * 3 * 16 * 16)).map { _ in rng.nextGaussian() })
    let before = net.logits(Tape(training: false), x, arch: space.largest).values
    net.reorderMidChannelsByImportance()
    let after = net.logits(Tape(training: false), x, arch: space.largest).values
    for (u, v) in zip(before, after) { XCTAssertEqual(u, v, accuracy: 1e-4 * max(1, abs(v))) }
    let w2 = net.store["layer1.0.conv2.weight"]!
    let (o, c) = (w2.shape[0], w2.shape[1])
    let importance = (0..<c).map { j in (0..<o).reduce(Float(0)) { acc, i in acc + (0..<9).reduce(Float(0)) { $0 + abs(w2.value[(i * c + j) * 9 + $1]) } } }
    XCTAssertEqual(importance, importance.sorted(by: >))
  }
}
