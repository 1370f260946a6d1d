import XCTest

@testable import Search

/// FLOPs and params of the C=16, N=5, 32×32, 10-class network, layer by layer by hand.
final class NB201CostTests: XCTestCase {
  let space = NB201Space()

  /// Stem, two reductions, last BN and linear: everything but the cells.
  let skeletonFlops: Double = [
    convMACs(side: 32, cin: 3, cout: 16), bnFlops(side: 32, c: 16),
    convMACs(side: 16, cin: 16, cout: 32), bnFlops(side: 16, c: 32),  // reduction 1
    convMACs(side: 16, cin: 32, cout: 32), bnFlops(side: 16, c: 32),
    convMACs(side: 16, cin: 16, cout: 32, k: 1),  // shortcut: pool (0) + 1×1 conv, no BN
    convMACs(side: 8, cin: 32, cout: 64), bnFlops(side: 8, c: 64),  // reduction 2
    convMACs(side: 8, cin: 64, cout: 64), bnFlops(side: 8, c: 64),
    convMACs(side: 8, cin: 32, cout: 64, k: 1),
    bnFlops(side: 8, c: 64), 64 * 10,  // last BN, linear (GAP counts 0)
  ].reduce(0, +)
  let skeletonParams: Int = [
    convWeights(cin: 3, cout: 16), 2 * 16,
    convWeights(cin: 16, cout: 32), 2 * 32, convWeights(cin: 32, cout: 32), 2 * 32, convWeights(cin: 16, cout: 32, k: 1),
    convWeights(cin: 32, cout: 64), 2 * 64, convWeights(cin: 64, cout: 64), 2 * 64, convWeights(cin: 32, cout: 64, k: 1),
    2 * 64, 64 * 10 + 10,
  ].reduce(0, +)
  /// (side, channels) of the three stages.
  let stages = [(32, 16), (16, 32), (8, 64)]

  func testParameterFreeCellsCostOnlyTheSkeleton() throws {
    for cell in ["000000", "111111", "444444", "014410"] {
      let e = try space.parse(cell)
      XCTAssertEqual(space.flops(e), skeletonFlops, cell)
      XCTAssertEqual(space.params(e), skeletonParams, cell)
    }
  }

  func testAllConv3x3AddsSixConvsPerCell() {
    let cells = stages.map { 5 * 6 * (convMACs(side: $0.0, cin: $0.1, cout: $0.1) + bnFlops(side: $0.0, c: $0.1)) }
      .reduce(0, +)
    XCTAssertEqual(space.flops(space.largest), skeletonFlops + cells)
    let cellParams = stages.map { 5 * 6 * convWeights(cin: $0.1, cout: $0.1) }.reduce(0, +)
    XCTAssertEqual(space.params(space.largest), skeletonParams + cellParams)
  }

  func testOneConv1x1Edge() throws {
    let e = try space.parse("|none~0|+|none~0|none~1|+|none~0|nor_conv_1x1~1|none~2|")
    let cells = stages.map { 5 * (convMACs(side: $0.0, cin: $0.1, cout: $0.1, k: 1) + bnFlops(side: $0.0, c: $0.1)) }
      .reduce(0, +)
    XCTAssertEqual(space.flops(e), skeletonFlops + cells)
    XCTAssertEqual(space.params(e), skeletonParams + stages.map { 5 * $0.1 * $0.1 }.reduce(0, +))
  }

  func testAffineCellBatchNormAddsGammaBeta() throws {
    var config = NB201Space.Config()
    config.cellBatchNormAffine = true
    let affine = try NB201Space(config: config)
    XCTAssertEqual(affine.params(affine.largest), space.params(space.largest) + stages.map { 5 * 6 * 2 * $0.1 }.reduce(0, +))
    XCTAssertEqual(affine.flops(affine.largest), space.flops(space.largest))
  }

  /// The benchmark reports 220 M FLOPs and 1.53 M params (affine cell BNs) for its largest cell; our
  /// convention also counts BN, so the FLOPs land just above.
  func testLargestIsNearTheBenchmarkFigures() throws {
    XCTAssertEqual(space.flops(space.largest), 221_930_112)
    XCTAssertEqual(space.params(space.largest), 1_524_826)
    XCTAssertEqual(space.flops(space.smallest), 7_873_152)
    XCTAssertEqual(space.params(space.smallest), 73_306)
    var config = NB201Space.Config()
    config.cellBatchNormAffine = true
    let standalone = try NB201Space(config: config)
    XCTAssertEqual(Double(standalone.params(standalone.largest)) / 1e6, 1.53, accuracy: 0.005)
  }
}
