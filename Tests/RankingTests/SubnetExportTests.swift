import Common
import Data
import Engine
import Foundation
import ONNXExport
import ONNXSchema
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

  // MARK: - tools/rdnas_torch.py and its NumPy twin

  /// Exports of three subnets (resnet with swish and with PReLU, nb201), each with a fixed NCHW input and
  /// rdnas's logits for it.
  func exportsWithLogits() throws -> [(dir: String, input: String, logits: [Float])] {
    let dir = try makeTemporaryDirectory(self)
    let supernets: [Supernet] = [ResNetSupernet(space: try tinyResNet(), activation: .swish, seed: 5),
                                 ResNetSupernet(space: try tinyResNet(), activation: .prelu, seed: 6),
                                 NB201Supernet(space: try tinyNB201(), seed: 7)]
    var out: [(String, String, [Float])] = []
    for (k, supernet) in supernets.enumerated() {
      var rng = RandomSource(seed: 20 + UInt64(k))
      var arch = supernet.space.sample(using: &rng)
      if supernet is NB201Supernet { arch = Encoding(digits: [3, 2, 4, 1, 3, 0]) }  // every op once
      let net = try SubnetExport.standalone(arch, of: supernet)
      BatchNormRecalibration.run(net, arch: arch, batches: [batch(&rng), batch(&rng)])
      let folder = dir.path + "/export-\(k)"
      let meta = try SubnetExport.metadata(arch: arch, of: supernet, normalization: nil)
      try SubnetExport.write(net, metadata: meta, path: folder + "/" + SubnetExport.fileName)
      try SubnetONNX.serialized(net, arch: arch, metadata: meta).write(to: URL(fileURLWithPath: folder + "/model.onnx"))
      let (n, c, h, w) = (3, 3, 8, 8)
      let nchw = (0..<(n * c * h * w)).map { _ in rng.nextGaussian() }
      var nhwc = [Float](repeating: 0, count: nchw.count)
      for i in 0..<n { for ch in 0..<c { for y in 0..<h { for x in 0..<w {
        nhwc[((i * h + y) * w + x) * c + ch] = nchw[((i * c + ch) * h + y) * w + x]
      } } } }
      let input = Batch(x: nhwc, y: [0, 1, 2], count: n, height: h, width: w, channels: c)
      let inputPath = folder + "/input.f32"
      try nchw.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: inputPath))
      out.append((folder, inputPath, logits(net, arch, input)))
    }
    return out
  }

  var toolsDirectory: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("tools").path
  }

  /// Runs the python3 found on PATH with `args`; nil when there is none.
  func python(_ args: [String]) throws -> (status: Int32, output: String)? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3"] + args
    p.currentDirectoryURL = URL(fileURLWithPath: toolsDirectory)
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    if p.terminationStatus == 127 { return nil }  // env: python3 not found
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  func requirePython(module: String) throws {
    guard let r = try python(["-c", "import \(module)"]) else { throw XCTSkip("python3 not installed") }
    if r.status != 0 { throw XCTSkip("python3 has no \(module)") }
  }

  func readFloats(_ path: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }

  /// The tool's standard-library half: the code decoded into the same tensor names and shapes as the file.
  func testTorchToolListsTheExportsTensorsWithoutTorch() throws {
    try requirePython(module: "json")
    for e in try exportsWithLogits() {
      let r = try XCTUnwrap(try python(["rdnas_torch.py", e.dir, "--check"]))
      XCTAssertEqual(r.status, 0, r.output)
      XCTAssertEqual(r.output, "ok\n")
    }
  }

  func testNumPyForwardOfTheExportMatchesRDNAS() throws {
    try requirePython(module: "numpy")
    for e in try exportsWithLogits() {
      let out = e.dir + "/numpy.f32"
      let r = try XCTUnwrap(try python(["rdnas_numpy_reference.py", e.dir, e.input, out]))
      XCTAssertEqual(r.status, 0, r.output)
      XCTAssertEqual(try readFloats(out), e.logits, accuracy: 1e-4)
    }
  }

  func testPyTorchModuleOfTheExportMatchesRDNAS() throws {
    try requirePython(module: "torch")
    for e in try exportsWithLogits() {
      let out = e.dir + "/torch.f32"
      let r = try XCTUnwrap(try python(["rdnas_torch.py", e.dir, "--logits", e.input, out]))
      XCTAssertEqual(r.status, 0, r.output)
      XCTAssertEqual(try readFloats(out), e.logits, accuracy: 1e-4)
    }
  }

  /// onnxruntime (and onnx.checker where `onnx` is installed) on the ONNX file gives rdnas's logits.
  func testONNXRuntimeRunsTheExportToRDNASLogits() throws {
    try requirePython(module: "onnxruntime")
    for e in try exportsWithLogits() {
      let out = e.dir + "/onnx.f32"
      let r = try XCTUnwrap(try python(["rdnas_onnx_run.py", e.dir + "/model.onnx", e.input, out]))
      XCTAssertEqual(r.status, 0, r.output)
      XCTAssertEqual(try readFloats(out), e.logits, accuracy: 1e-4)
    }
  }

  /// Without Python: the file parses back through swift-protobuf, every tensor of the network is an
  /// initializer under its rdnas name with its shape, and the graph's ops are the code's (nb201's
  /// conv/pool/skip/none cell: one AveragePool 3x3 per cell, convs for stem, reductions and the code's edges).
  func testONNXModelHoldsTheNetworksTensorsAndTheCodesOps() throws {
    let supernet = NB201Supernet(space: try tinyNB201(), seed: 4)
    let arch = Encoding(digits: [3, 0, 4, 1, 2, 0])  // conv3, none, pool, skip, conv1, none
    let net = try SubnetExport.standalone(arch, of: supernet)
    let model = try Onnx_ModelProto(serializedBytes: try SubnetONNX.serialized(net, arch: arch, metadata: ["k": "v"]))
    XCTAssertEqual(model.opsetImport.first?.version, SubnetONNX.opset)
    XCTAssertEqual(model.metadataProps.map(\.key), ["k"])
    let inits = Dictionary(uniqueKeysWithValues: model.graph.initializer.map { ($0.name, $0) })
    for p in net.store.all {
      let t = try XCTUnwrap(inits[p.name], p.name)
      XCTAssertEqual(t.dims, p.shape.map(Int64.init), p.name)
      XCTAssertEqual(t.rawData.count, 4 * p.count, p.name)
    }
    let ops = model.graph.node.map(\.opType)
    XCTAssertEqual(ops.filter { $0 == "AveragePool" }.count, 3 + 2, "one 3x3 pool per cell (N=1, 3 cells) + 2 reductions")
    // stem + per cell (conv3, conv1) + per reduction (conv_a, conv_b, downsample)
    XCTAssertEqual(ops.filter { $0 == "Conv" }.count, 1 + 3 * 2 + 2 * 3)
    XCTAssertEqual(model.graph.output.map(\.name), ["logits"])
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
