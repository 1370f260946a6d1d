import XCTest
import Foundation
import Common
import Data
import Engine
import RunEvents
@testable import Training

/// A step's tapes share their conv weight reorders (`WeightLayoutCache`): fewer reorders per step, the same
/// numbers, and nothing stale after the optimiser moves the weights.
final class WeightReorderTests: XCTestCase {
  var runs = ""

  override func setUpWithError() throws {
    guard FileManager.default.fileExists(atPath: DatasetLoader.defaultFashionMNISTDirectory) else {
      throw XCTSkip("Fashion-MNIST not installed")
    }
    DNNL.setThreads(1)
    runs = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-reorder-\(UUID().uuidString)").path
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: runs) }

  /// A tiny resnet sandwich (largest + smallest + 1 random) with one FLOPs rank pair: 5 passes per step.
  func config(_ name: String) -> TrainingConfig {
    var c = TrainingConfig()
    c.name = name; c.runsDirectory = runs; c.space = "resnet"; c.seed = 3
    c.resnet.baseChannels = [4, 8, 8, 8]; c.resnet.maxDepths = [2, 2, 3, 2]
    c.dataset = "fashion-mnist"; c.validationSize = 200; c.trainLimit = 128
    c.batchSize = 32; c.epochs = 1; c.lr = 0.05; c.logEvery = 1
    c.strategy = .sandwich; c.pathsPerStep = 3
    c.rank.proxy = "flops"; c.rank.pairs = 1
    return c
  }

  struct Run { var losses: [Double] = []; var reorders: [Int] = []; var reused: [Int] = []; var weights: [String: [Float]] = [:] }

  func train(_ name: String, reuse: Bool) throws -> Run {
    let trainer = try Trainer(config: config(name))
    trainer.reuseWeightReorders = reuse
    var run = Run()
    var before = WeightLayoutCache.reordersExecuted
    trainer.addSink { e in
      guard case .step(let s) = e else { return }
      run.losses.append(s.loss)
      run.reorders.append(WeightLayoutCache.reordersExecuted - before)
      run.reused.append(trainer.lastStepReorders.reused)
      before = WeightLayoutCache.reordersExecuted
    }
    try trainer.run()
    run.weights = Dictionary(uniqueKeysWithValues: trainer.net.store.all.map { ($0.name, $0.values) })
    return run
  }

  func testStepReusesReordersWithIdenticalNumbers() throws {
    let plain = try train("plain", reuse: false)
    let cached = try train("cached", reuse: true)
    XCTAssertEqual(plain.losses.count, 4)
    // Same losses and weights to the bit: a reorder is a copy, and each step's cache starts empty after the
    // optimiser moved the weights (a stale copy would change the losses from step 2 on).
    XCTAssertEqual(cached.losses, plain.losses)
    for (name, v) in plain.weights { XCTAssertEqual(cached.weights[name], v, name) }
    for k in plain.reorders.indices {
      XCTAssertLessThan(cached.reorders[k], plain.reorders[k], "step \(k + 1)")
      XCTAssertGreaterThan(cached.reused[k], 0)
      XCTAssertEqual(cached.reorders[k] + cached.reused[k], plain.reorders[k], "every use is either a reorder or a reuse")
    }
    print("conv weight reorders per step: \(plain.reorders) without the cache, \(cached.reorders) with it")
  }

  /// The cache is per tape: a tape without one reorders on every use, and a new cache after the weights
  /// changed sees the new weights.
  func testCacheHitsAndFreshCacheSeesNewWeights() throws {
    var rng = RandomSource(seed: 1)
    let x = Tensor(shape: Shape(2, 3, 6, 6), values: (0..<(2 * 3 * 36)).map { _ in rng.nextGaussian() }, requiresGrad: true)
    let w = Parameter(name: "w", shape: [4, 3, 3, 3], kind: .weight)
    w.values = (0..<w.count).map { _ in rng.nextGaussian() }
    func pass(_ cache: WeightLayoutCache?) throws -> [Float] {
      let t = Tape(training: true)
      t.precision = .fp32
      t.weightCache = cache
      let y = t.conv2d(x, w, outChannels: 4, kernel: 3)
      try t.backward(t.sum(y))
      return Array(UnsafeBufferPointer(start: y.data, count: y.count))
    }
    let reference = try pass(nil)
    let cache = WeightLayoutCache()
    let start = WeightLayoutCache.reordersExecuted
    XCTAssertEqual(try pass(cache), reference)
    XCTAssertEqual(try pass(cache), reference)
    XCTAssertEqual(WeightLayoutCache.reordersExecuted - start, 2, "forward + backward-data layouts, once")
    XCTAssertEqual(cache.misses, 2); XCTAssertEqual(cache.hits, 2)
    w.values = w.values.map { $0 * 2 }
    let doubled = try pass(nil)
    XCTAssertNotEqual(doubled, reference)
    XCTAssertEqual(try pass(WeightLayoutCache()), doubled)
  }
}
