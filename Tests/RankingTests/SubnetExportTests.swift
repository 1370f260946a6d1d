import Common
import Data
import Engine
import Foundation
import RDNASTestSupport
import Search
import Supernet
import XCTest

@testable import Ranking

/// An exported subnet computes what the supernet computes for that code: same logits after the same BN
/// recalibration, and the same again after a write and a read of the safetensors file.
final class SubnetExportTests: XCTestCase {
  func tinyResNet() throws -> ResNetSpace {
    var c = ResNetSpace.Config()
    c.baseChannels = [16, 32]; c.maxDepths = [3, 3]; c.strides = [1, 2]; c.inputSize = 8; c.inputChannels = 3
    c.classes = 5; c.widthCodesPerStage = [[1, 3, 5, 7], [1, 3, 5, 7]]
    return try ResNetSpace(config: c)
  }

  func tinyNB201() throws -> NB201Space {
    var c = NB201Space.Config()
    c.C = 4; c.N = 1; c.inputSize = 8; c.classes = 5
    return try NB201Space(config: c)
  }

  func batch(_ rng: inout RandomSource, count: Int = 6) -> Batch {
    Batch(x: (0..<(count * 8 * 8 * 3)).map { _ in rng.nextGaussian() }, y: (0..<count).map { Int32($0 % 5) },
          count: count, height: 8, width: 8, channels: 3)
  }

  func logits(_ net: Supernet, _ arch: Encoding, _ b: Batch) -> [Float] {
    net.logits(Tape(training: false, inference: true), b.tensor(), arch: arch).values
  }

  func testExportedSubnetsMatchTheSupernetBeforeAndAfterAFileRoundTrip() throws {
    let supernets: [Supernet] = [ResNetSupernet(space: try tinyResNet(), activation: .swish, seed: 3),
                                 NB201Supernet(space: try tinyNB201(), seed: 3)]
    let dir = try makeTemporaryDirectory(self)
    for supernet in supernets {
      var rng = RandomSource(seed: 11)
      let calibration = [batch(&rng), batch(&rng)], input = batch(&rng, count: 4)
      for k in 0..<3 {
        let arch = supernet.space.sample(using: &rng)
        let net = try SubnetExport.standalone(arch, of: supernet)
        XCTAssertEqual(net.store.all.reduce(0) { $0 + ($1.kind == .buffer ? 0 : $1.count) },
                       supernet.space.params(arch), "\(supernet.space.name): the export has the code's parameters only")
        // The supernet's shared statistics, then each recalibrated on the same batches.
        XCTAssertEqual(logits(net, arch, input), logits(supernet, arch, input), accuracy: 1e-5)
        BatchNormRecalibration.run(net, arch: arch, batches: calibration)
        let expected = try CandidateEvaluator(net: supernet, validationBatches: [input], calibrationBatches: calibration)
          .evaluate(arch)
        let got = ClassifierEvaluation.evaluate(batches: [input]) { t, x in net.logits(t, x, arch: arch) }
        XCTAssertEqual(got.loss, expected.loss, accuracy: 1e-5, "\(supernet.space.name) \(arch)")

        let folder = dir.path + "/\(supernet.space.name)-\(k)"
        let meta = try SubnetExport.metadata(arch: arch, of: supernet, normalization: nil)
        try SubnetExport.write(net, metadata: meta, path: folder + "/" + SubnetExport.fileName)
        let loaded = try SubnetExport.load(directory: folder)
        XCTAssertEqual(loaded.arch, arch)
        XCTAssertEqual(loaded.metadata["space"], supernet.space.name)
        XCTAssertEqual(logits(loaded.net, arch, input), logits(net, arch, input))
      }
    }
  }

  func testPrefixCutKeepsLeadingIndicesOfEveryDimension() {
    // A [2, 3, 2] tensor holding its own flat index; the [1, 2, 2] prefix is rows 0, cols 0-1.
    let values = (0..<12).map(Float.init)
    XCTAssertEqual(SubnetExport.prefix(values, shape: [2, 3, 2], to: [1, 2, 2]), [0, 1, 2, 3])
    XCTAssertEqual(SubnetExport.prefix(values, shape: [2, 3, 2], to: [2, 1, 1]), [0, 6])
    XCTAssertEqual(SubnetExport.prefix(values, shape: [2, 3, 2], to: [2, 3, 2]), values)
  }

  func testAFileThatIsNotAnExportIsOneLineBadFile() throws {
    let dir = try makeTemporaryDirectory(self)
    try SafeTensors.write([("w", .init(shape: [1], values: [1]))], metadata: [:], path: dir.path + "/model.safetensors")
    assertThrowsRDNASError(.badFile, mentions: ["not an rdnas subnet export"]) { try SubnetExport.load(directory: dir.path) }
  }
}

func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
  XCTAssertEqual(a.count, b.count, file: file, line: line)
  let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
  XCTAssertLessThanOrEqual(worst, accuracy, "largest difference \(worst)", file: file, line: line)
}
