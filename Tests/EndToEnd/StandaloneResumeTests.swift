import XCTest
import Common
import Data
import Engine
import Supernet
import Training

/// A standalone network stopped mid-schedule and resumed from its checkpoint ends exactly as an uninterrupted one:
/// same weights, BN statistics and momentum, bit for bit. A checkpoint of another network or schedule, or a torn
/// file, is refused with the file's name instead of resuming the wrong thing.
final class StandaloneResumeTests: XCTestCase {
  var dir = ""
  var data: ImageDataset!

  override func setUpWithError() throws {
    guard FileManager.default.fileExists(atPath: DatasetLoader.defaultFashionMNISTDirectory) else {
      throw XCTSkip("Fashion-MNIST not installed")
    }
    DNNL.setThreads(1)
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-resume-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    data = try DatasetLoader.load(dataset: "fashion-mnist", path: nil, train: false, cacheDirectory: nil)
      .subset(Array(0..<320))
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  var config: ClassifierTrainingConfig {
    var c = ClassifierTrainingConfig()
    c.epochs = 3; c.batchSize = 32; c.seed = 9; c.lr = 0.05  // 10 steps an epoch, 30 in all
    return c
  }
  func network() -> SmallConvNet { SmallConvNet(inputChannels: 1, classes: 10, widths: [8, 16, 16], seed: 5) }
  func values(_ net: SmallConvNet) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: net.store.all.map { ($0.name, $0.values) })
  }
  func checkpoint(step: Int = 0) -> StandaloneCheckpoint {
    StandaloneCheckpoint(arch: "small", seed: 5, config: config, step: step, seconds: 0, precisions: ["fp32"],
                         resumedAt: [], midway: [:])
  }

  func testStoppedAndResumedTrainingEndsExactlyAsAnUninterruptedOne() throws {
    let whole = network()
    let wholeLoss = try ClassifierTraining.train(whole, dataset: data, normalization: .fashionMNIST, config: config)

    // Stop on request at step 13 (mid-epoch 2), after the epoch-end save at step 10.
    let path = dir + "/net.safetensors"
    let first = network()
    var saves: [Int] = [], steps = 0
    var cp = checkpoint()
    var checkpointing = ClassifierCheckpointing(resume: nil) { step, optimizer in
      saves.append(step)
      cp.step = step
      try cp.write(path: path, store: first.store, optimizer: optimizer)
    }
    checkpointing.stopRequested = { steps == 13 }
    XCTAssertThrowsError(try ClassifierTraining.train(first, dataset: data, normalization: .fashionMNIST, config: config,
                                                     checkpointing: checkpointing) { steps = $0.step }) { error in
      XCTAssertEqual((error as? ClassifierTraining.Stopped)?.step, 13, "\(error)")
    }
    XCTAssertEqual(saves, [10, 13], "saved at the epoch end and on the stop")

    // A fresh process: a newly initialised network, its state restored from the file.
    let second = network()
    let (loaded, momentum) = try StandaloneCheckpoint.resume(path: path, arch: "small", seed: 5, config: config,
                                                             into: second.store)
    XCTAssertEqual(loaded, cp)
    XCTAssertFalse(momentum.isEmpty)
    XCTAssertTrue(values(second) != values(network()), "the weights came from the checkpoint")
    var resumedSaves: [Int] = []
    let resumed = ClassifierCheckpointing(resume: (loaded.step, momentum)) { step, _ in resumedSaves.append(step) }
    var firstStepSeen: Int?
    let resumedLoss = try ClassifierTraining.train(second, dataset: data, normalization: .fashionMNIST, config: config,
                                                   checkpointing: resumed) { p in firstStepSeen = firstStepSeen ?? p.step }
    XCTAssertEqual(firstStepSeen, 14, "resumed with the step after the saved one")
    XCTAssertEqual(resumedSaves, [20], "the last epoch's end is the finished network, not a checkpoint")
    let expected = values(whole)
    XCTAssertEqual(values(second).filter { expected[$0.key] != $0.value }.keys.sorted(), [],
                   "these weights or BN statistics differ from the uninterrupted run's")
    XCTAssertEqual(resumedLoss, wholeLoss, "the last epoch ran whole in both")
  }

  func testACheckpointOfAnotherNetworkOrScheduleOrATornFileIsRefused() throws {
    let path = dir + "/net.safetensors"
    let net = network()
    try checkpoint(step: 10).write(path: path, store: net.store, optimizer: SGD(store: net.store, config: .init()))
    var longer = config
    longer.epochs = 4
    let cases: [(String, UInt64, ClassifierTrainingConfig, String)] = [
      ("other", 5, config, "architecture"), ("small", 6, config, "seed"), ("small", 5, longer, "training options"),
    ]
    for (arch, seed, cfg, word) in cases {
      XCTAssertThrowsError(try StandaloneCheckpoint.resume(path: path, arch: arch, seed: seed, config: cfg,
                                                           into: network().store)) { error in
        let text = "\(error)"
        XCTAssertTrue(text.contains(path) && text.contains(word) && text.contains("delete it"), text)
      }
    }
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
    XCTAssertThrowsError(try StandaloneCheckpoint.resume(path: path, arch: "small", seed: 5, config: config,
                                                         into: network().store)) { error in
      XCTAssertTrue("\(error)".contains(path), "\(error)")
    }
    // Another network's checkpoint under this network's arch string: shapes differ, refused.
    let other = SmallConvNet(inputChannels: 1, classes: 10, widths: [4, 8, 8], seed: 5)
    try checkpoint().write(path: path, store: other.store, optimizer: SGD(store: other.store, config: .init()))
    XCTAssertThrowsError(try StandaloneCheckpoint.resume(path: path, arch: "small", seed: 5, config: config,
                                                         into: network().store)) { error in
      XCTAssertTrue("\(error)".contains("shape"), "\(error)")
    }
  }
}
