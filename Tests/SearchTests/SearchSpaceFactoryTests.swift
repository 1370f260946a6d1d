import Common
import XCTest
import RDNASTestSupport

@testable import Search

final class SearchSpaceFactoryTests: XCTestCase {
  func testBuildsBothSpacesByName() throws {
    let resnet = try makeSearchSpace(name: "resnet")
    XCTAssertEqual(resnet.name, "resnet")
    XCTAssertEqual(resnet.format(try resnet.parse(competitionExample)), competitionExample)
    let nb201 = try makeSearchSpace(name: "NB201")
    XCTAssertEqual(nb201.name, "nb201")
    XCTAssertEqual(nb201.largest.count, 6)
    let competition = try makeSearchSpace(name: "resnet", resnet: .competition)
    XCTAssertLessThan(competition.size, resnet.size)
  }

  func testUnknownNameAndBadConfig() {
    assertThrowsRDNASError(.badInput, mentions: ["unknown search space 'darts'", "resnet, nb201"]) { _ = try makeSearchSpace(name: "darts") }
    var config = NB201Space.Config()
    config.C = 0
    assertThrowsRDNASError(.badInput, mentions: ["nb201 config"]) { _ = try makeSearchSpace(name: "nb201", nb201: config) }
  }

  /// Both spaces obey the protocol's contract: samples validate, format/parse round-trip, distance is a
  /// metric on samples (zero on the diagonal, symmetric), costs are positive and ordered.
  func testProtocolContract() throws {
    for space in [try makeSearchSpace(name: "resnet"), try makeSearchSpace(name: "nb201")] {
      var rng = RandomSource(seed: 5)
      for _ in 0..<200 {
        let a = space.sample(using: &rng), b = space.sample(using: &rng)
        try space.validate(a)
        XCTAssertEqual(try space.parse(space.format(a)), a, space.name)
        XCTAssertEqual(space.distance(a, a), 0)
        XCTAssertEqual(space.distance(a, b), space.distance(b, a))
        XCTAssertLessThanOrEqual(space.flops(a), space.flops(space.largest), space.name)
        XCTAssertGreaterThanOrEqual(space.flops(a), space.flops(space.smallest), space.name)
        XCTAssertLessThanOrEqual(space.params(a), space.params(space.largest), space.name)
        XCTAssertGreaterThan(space.params(a), 0)
      }
    }
  }
}
