import Common
import Search
import XCTest
import RDNASTestSupport

@testable import Ranking

final class ProxyCostTests: ProxyTestCase {
  func testFLOPsAndParamsEqualTheSpaceFormulas() throws {
    let nb201 = NB201Space()
    let resnet = ResNetSpace()
    var rng = RandomSource(seed: 3)
    let cases: [(any SearchSpace, Encoding)] =
      (0..<5).map { _ in (nb201, nb201.sample(using: &rng)) } + (0..<5).map { _ in (resnet, resnet.sample(using: &rng)) }
    for (space, arch) in cases {
      XCTAssertEqual(try FLOPsProxy().score(arch: arch, space: space, batch: nil, seed: 0), space.flops(arch))
      XCTAssertEqual(try ParamsProxy().score(arch: arch, space: space, batch: nil, seed: 9),
                     Double(space.params(arch)))
    }
  }

  func testCostProxiesRejectInvalidEncodings() {
    assertThrowsRDNASError(.badInput, mentions: ["expected 6"]) {
      _ = try FLOPsProxy().score(arch: Encoding(digits: [1, 2]), space: NB201Space(), batch: nil, seed: 0)
    }
    assertThrowsRDNASError(.badInput, mentions: ["not 0...4"]) {
      _ = try ParamsProxy().score(arch: Encoding(digits: [1, 2, 3, 4, 5, 6]), space: NB201Space(), batch: nil, seed: 0)
    }
  }
}
