import XCTest
import Common
import Data
import Engine
import Supernet
import Training

/// The foundation's end-to-end check: the engine, the data pipeline and SGD together learn a real task.
final class FashionMNISTTrainingTests: XCTestCase {
  /// Small networks: one OpenMP thread is as fast and immune to OpenMP barrier stalls on a busy machine.
  override func setUp() { DNNL.setThreads(1) }
  func testSmallConvNetLearnsFashionMNIST() throws {
    let dir = DatasetLoader.defaultFashionMNISTDirectory
    guard FileManager.default.fileExists(atPath: dir) else { throw XCTSkip("Fashion-MNIST not installed at \(dir)") }
    let train = try DatasetLoader.load(dataset: "fashion-mnist", path: nil, train: true, cacheDirectory: nil)
    let test = try DatasetLoader.load(dataset: "fashion-mnist", path: nil, train: false, cacheDirectory: nil)
    let trainSubset = train.subset(Array(0..<2000))
    let heldOut = test.subset(Array(0..<1000))
    let net = SmallConvNet(inputChannels: 1, classes: 10, widths: [32, 64, 128], seed: 3)
    var cfg = ClassifierTrainingConfig()
    cfg.epochs = 20  // 20 × 62 = 1,240 steps of batch 32
    cfg.batchSize = 32
    cfg.lr = 0.1
    cfg.weightDecay = 5e-4
    cfg.seed = 1
    var losses: [Float] = []
    try ClassifierTraining.train(net, dataset: trainSubset, normalization: .fashionMNIST, config: cfg) { p in
      losses.append(p.loss)
    }
    let result = try ClassifierTraining.evaluate(net, dataset: heldOut, normalization: .fashionMNIST)
    XCTAssertEqual(result.count, 1000)
    XCTAssertGreaterThan(result.accuracy, 0.80, "held-out accuracy \(result.accuracy)")
    let first = losses.prefix(20).reduce(0, +) / 20, last = losses.suffix(20).reduce(0, +) / 20
    XCTAssertLessThan(last, first * 0.6, "loss should fall: \(first) → \(last)")
  }

  func testSameSeedGivesSameLosses() throws {
    let dir = DatasetLoader.defaultFashionMNISTDirectory
    guard FileManager.default.fileExists(atPath: dir) else { throw XCTSkip("Fashion-MNIST not installed at \(dir)") }
    let data = try DatasetLoader.load(dataset: "fashion-mnist", path: nil, train: false, cacheDirectory: nil)
      .subset(Array(0..<320))
    func run() throws -> [Float] {
      let net = SmallConvNet(inputChannels: 1, classes: 10, widths: [8, 16, 16], seed: 5)
      var cfg = ClassifierTrainingConfig()
      cfg.batchSize = 32; cfg.seed = 9; cfg.epochs = 1
      var l: [Float] = []
      try ClassifierTraining.train(net, dataset: data, normalization: .fashionMNIST, config: cfg) { l.append($0.loss) }
      return l
    }
    XCTAssertEqual(try run(), try run())
  }
}
