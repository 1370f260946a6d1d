import XCTest
import RDNASTestSupport

@testable import Search

final class ResNetWidthTests: XCTestCase {
  /// Method doc §1.3, the reference's ImageNet widths with divisor 8, reproduced exactly.
  func testReferenceWidthTable() throws {
    var config = ResNetSpace.Config()
    config.baseChannels = [64, 128, 256, 512]
    config.channelDivisor = 8
    let space = try ResNetSpace(config: config)
    let table = [
      [64, 64, 56, 56, 48, 48, 48],
      [128, 120, 112, 112, 104, 96, 88],
      [256, 240, 232, 216, 208, 192, 176],
      [512, 488, 464, 432, 408, 384, 360],
    ]
    for s in 0..<4 {
      XCTAssertEqual((1...7).map { space.width(stage: s, code: $0) }, table[s], "base \(config.baseChannels[s])")
    }
    XCTAssertEqual(space.maxWidths, [64, 128, 256, 512])
  }

  func testDefaultCifarWidths() {
    let space = ResNetSpace()
    XCTAssertEqual((1...7).map { space.width(stage: 0, code: $0) }, [16, 16, 16, 12, 12, 12, 12])
    XCTAssertEqual((1...7).map { space.width(stage: 1, code: $0) }, [32, 32, 28, 28, 24, 24, 24])
    XCTAssertEqual((1...7).map { space.width(stage: 3, code: $0) }, [128, 120, 116, 108, 104, 96, 88])
    XCTAssertEqual(space.maxWidths, [16, 32, 64, 128])
  }

  func testInvalidCodesHaveNoWidth() {
    let space = ResNetSpace()
    XCTAssertEqual(space.width(stage: 0, code: 0), 0)
    XCTAssertEqual(space.width(stage: 0, code: 8), 0)
    XCTAssertEqual(space.width(stage: 7, code: 1), 0)
  }

  func testMakeDivisibleBumpsWhenRoundingLosesTenPercent() {
    XCTAssertEqual(ResNetSpace.makeDivisible(11, divisor: 8), 16)  // 8 < 0.9·11 → bumped
    XCTAssertEqual(ResNetSpace.makeDivisible(3, divisor: 8), 8)  // minimum is the divisor
    XCTAssertEqual(ResNetSpace.makeDivisible(100, divisor: 8), 104)
  }

  func testConfigValidationNamesTheField() {
    var c = ResNetSpace.Config()
    c.maxDepths = [5, 5, 8]
    assertThrowsRDNASError(.badInput, mentions: ["one entry per stage"]) { _ = try ResNetSpace(config: c) }
    c = ResNetSpace.Config()
    c.maxDepths[2] = 10
    assertThrowsRDNASError(.badInput, mentions: ["maxDepths[2] = 10"]) { _ = try ResNetSpace(config: c) }
    c = ResNetSpace.Config()
    c.widthCodesPerStage[1] = [1, 8]
    assertThrowsRDNASError(.badInput, mentions: ["widthCodesPerStage[1] has code 8"]) { _ = try ResNetSpace(config: c) }
    c = ResNetSpace.Config()
    c.ratios = []
    assertThrowsRDNASError(.badInput, mentions: ["ratios"]) { _ = try ResNetSpace(config: c) }
  }

  func testPartialConfigJSONKeepsDefaults() throws {
    let json = Data(#"{"channelDivisor": 8, "outerActivationHasParameter": true}"#.utf8)
    let c = try JSONDecoder().decode(ResNetSpace.Config.self, from: json)
    XCTAssertEqual(c.channelDivisor, 8)
    XCTAssertTrue(c.outerActivationHasParameter)
    XCTAssertEqual(c.baseChannels, [16, 32, 64, 128])
    XCTAssertEqual(c.widthCodesPerStage, ResNetSpace.Config().widthCodesPerStage)
    let back = try JSONDecoder().decode(ResNetSpace.Config.self, from: try JSONEncoder().encode(ResNetSpace.Config.competition))
    XCTAssertEqual(back, ResNetSpace.Config.competition)
  }
}
