import XCTest

@testable import Search

/// FLOPs and params of a two-stage toy space, written out layer by layer by hand.
final class ResNetCostTests: XCTestCase {
  /// Stage 1: base 8, up to 3 blocks, stride 1; stage 2: base 16, up to 2 blocks, stride 2.
  /// Codes 1 (ratio 1) and 2 (ratio 0.5): widths 8/4 and 16/8. Input 3×8×8, 3 classes.
  func tinySpace(prelu: Bool = false) throws -> ResNetSpace {
    var c = ResNetSpace.Config()
    c.baseChannels = [8, 16]
    c.maxDepths = [3, 2]
    c.minDepth = 1
    c.strides = [1, 2]
    c.channelDivisor = 4
    c.ratios = [1.0, 0.5]
    c.inputSize = 8
    c.classes = 3
    c.widthCodesPerStage = [[1, 2], [1, 2]]
    c.outerActivationHasParameter = prelu
    return try ResNetSpace(config: c)
  }

  func testTinyLargest() throws {
    let space = try tinySpace()
    XCTAssertEqual(space.encodingLength, 14)
    XCTAssertEqual(space.largest.description, "13211111111111")
    let stem = convMACs(side: 8, cin: 3, cout: 8) + bnFlops(side: 8, c: 8)
    let stage1Block = 2 * (convMACs(side: 8, cin: 8, cout: 8) + bnFlops(side: 8, c: 8))
    let stage2First: Double = [
      convMACs(side: 4, cin: 8, cout: 16), bnFlops(side: 4, c: 16),
      convMACs(side: 4, cin: 16, cout: 16), bnFlops(side: 4, c: 16),
      convMACs(side: 4, cin: 8, cout: 16, k: 1), bnFlops(side: 4, c: 16),  // 1×1 stride-2 shortcut
    ].reduce(0, +)
    let stage2Second = 2 * (convMACs(side: 4, cin: 16, cout: 16) + bnFlops(side: 4, c: 16))
    let head = Double((4 * 4 + 1) * 16 + 16 * 3)  // GAP (HW+1)·C, fc C·classes
    XCTAssertEqual(space.flops(space.largest), stem + 3 * stage1Block + stage2First + stage2Second + head)

    let params: Int = [
      convWeights(cin: 3, cout: 8) + 2 * 8,
      3 * (2 * convWeights(cin: 8, cout: 8) + 2 * 2 * 8),
      convWeights(cin: 8, cout: 16) + convWeights(cin: 16, cout: 16) + convWeights(cin: 8, cout: 16, k: 1) + 3 * 2 * 16,
      2 * convWeights(cin: 16, cout: 16) + 2 * 2 * 16,
      16 * 3 + 3,
    ].reduce(0, +)
    XCTAssertEqual(space.params(space.largest), params)
    XCTAssertEqual(try tinySpace(prelu: true).params(space.largest), params + 5, "one PReLU slope per block")
  }

  func testTinySmallest() throws {
    let space = try tinySpace()
    XCTAssertEqual(space.smallest.description, "11122200002200")
    let flops: Double = [
      convMACs(side: 8, cin: 3, cout: 4), bnFlops(side: 8, c: 4),
      convMACs(side: 8, cin: 4, cout: 4), bnFlops(side: 8, c: 4),
      convMACs(side: 8, cin: 4, cout: 4), bnFlops(side: 8, c: 4),
      convMACs(side: 4, cin: 4, cout: 8), bnFlops(side: 4, c: 8),
      convMACs(side: 4, cin: 8, cout: 8), bnFlops(side: 4, c: 8),
      convMACs(side: 4, cin: 4, cout: 8, k: 1), bnFlops(side: 4, c: 8),
      Double(17 * 8 + 8 * 3),
    ].reduce(0, +)
    XCTAssertEqual(space.flops(space.smallest), flops)
    let params: Int = [
      convWeights(cin: 3, cout: 4) + 8,
      2 * convWeights(cin: 4, cout: 4) + 2 * 8,
      convWeights(cin: 4, cout: 8) + convWeights(cin: 8, cout: 8) + convWeights(cin: 4, cout: 8, k: 1) + 3 * 16,
      8 * 3 + 3,
    ].reduce(0, +)
    XCTAssertEqual(space.params(space.smallest), params)
  }

  /// A mid width only changes its own block's two convs and one BN.
  func testMidCodeChangesOnlyItsBlock() throws {
    let space = try tinySpace()
    let a = try space.make(depths: [1, 1], outCodes: [1, 1], midCodes: [[1], [1]])
    let b = try space.make(depths: [1, 1], outCodes: [1, 1], midCodes: [[2], [1]])
    let wide = convMACs(side: 8, cin: 8, cout: 8) + bnFlops(side: 8, c: 8) + convMACs(side: 8, cin: 8, cout: 8)
    let narrow = convMACs(side: 8, cin: 8, cout: 4) + bnFlops(side: 8, c: 4) + convMACs(side: 8, cin: 4, cout: 8)
    XCTAssertEqual(space.flops(a) - space.flops(b), wide - narrow)
  }

  /// Reference figures of the default CIFAR space at 32×32 (checked against an independent script when
  /// written); other targets' proxies and the report quote them.
  func testDefaultSpaceReferenceFigures() throws {
    let space = ResNetSpace()
    XCTAssertEqual(space.flops(space.largest), 106_552_704)
    XCTAssertEqual(space.params(space.largest), 2_101_338)
    XCTAssertEqual(space.flops(space.smallest), 18_573_896)
    XCTAssertEqual(space.params(space.smallest), 337_150)
    let competition = try ResNetSpace(config: .competition)
    XCTAssertEqual(competition.flops(competition.smallest), 26_412_616)
  }
}
