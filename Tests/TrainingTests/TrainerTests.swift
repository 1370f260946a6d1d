import XCTest
import Foundation
import Common
import Data
import Engine
import Ranking
import Search
@testable import Training

final class TrainerTests: XCTestCase {
  var runs = ""

  override func setUpWithError() throws {
    guard FileManager.default.fileExists(atPath: DatasetLoader.defaultFashionMNISTDirectory) else {
      throw XCTSkip("Fashion-MNIST not installed")
    }
    DNNL.setThreads(1)  // tiny networks: one thread avoids OpenMP barrier overhead on a shared machine
    runs = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-train-\(UUID().uuidString)").path
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: runs) }

  /// A tiny NB201 supernet on 256 Fashion-MNIST images: 8 steps of batch 32 per epoch.
  func tinyConfig(_ name: String, space: String = "nb201") -> TrainingConfig {
    var c = TrainingConfig()
    c.name = name; c.runsDirectory = runs; c.space = space; c.seed = 7
    c.nb201.C = 4; c.nb201.N = 1
    c.resnet.baseChannels = [4, 8, 8, 8]; c.resnet.maxDepths = [2, 2, 3, 2]
    c.dataset = "fashion-mnist"; c.validationSize = 200; c.trainLimit = 256
    c.batchSize = 32; c.epochs = 2; c.lr = 0.05; c.logEvery = 1
    c.strategy = .spos; c.pathsPerStep = 1
    return c
  }

  func weights(_ t: Trainer) -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: t.net.store.all.map { ($0.name, $0.values) })
  }

  func testResumeContinuesExactly() throws {
    var cfg = tinyConfig("straight")
    cfg.strategy = .sandwich; cfg.pathsPerStep = 3; cfg.space = "resnet"
    cfg.rank.proxy = "flops"; cfg.rank.pairs = 1; cfg.rank.landmarks = 4; cfg.rank.evalImages = 64
    let straight = try Trainer(config: cfg)
    var straightLosses: [Double] = []
    straight.addSink { if case .step(let s) = $0 { straightLosses.append(s.loss) } }
    try straight.run()

    cfg.name = "interrupted"
    let first = try Trainer(config: cfg)
    var losses: [Double] = []
    first.addSink { e in
      if case .step(let s) = e {
        losses.append(s.loss)
        if s.step == 11 { first.commands.send(.stop(save: true)) }
      }
    }
    try first.run()
    XCTAssertEqual(first.state.step, 11)
    let second = try Trainer(config: cfg, resume: true)
    second.addSink { if case .step(let s) = $0 { losses.append(s.loss) } }
    try second.run()
    XCTAssertEqual(second.state.step, 16)
    XCTAssertEqual(losses.count, straightLosses.count)
    for (a, b) in zip(losses, straightLosses) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
    let w1 = weights(straight), w2 = weights(second)
    for (name, v) in w1 {
      let u = w2[name]!
      let worst = zip(u, v).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThan(worst, 1e-4, name)
    }
  }

  /// `--checkpoint-every 3` writes last.safetensors every 3 steps, counted from the last checkpoint (epoch
  /// ends of 8 steps included); `--keep-checkpoints 1` leaves one per-epoch file; a run stopped without
  /// saving (as by a kill) resumes from the last mid-epoch checkpoint.
  func testCheckpointCadenceAndKeep() throws {
    var cfg = tinyConfig("cadence")
    cfg.epochs = 3; cfg.checkpointEvery = .steps(3); cfg.keepCheckpoints = 1
    let t = try Trainer(config: cfg)
    var saved: [(Int, String)] = []
    t.addSink { e in
      if case .checkpoint(let c) = e { saved.append((c.step, c.reason)) }
      if case .step(let s) = e, s.step == 20 { t.commands.send(.stop(save: false)) }
    }
    try t.run()
    XCTAssertEqual(saved.map(\.0), [3, 6, 8, 11, 14, 16, 19], "\(saved)")
    XCTAssertEqual(saved.map(\.1), ["steps", "steps", "epoch", "steps", "steps", "epoch", "steps"])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: t.folder.checkpointDirectory).sorted(),
                   ["epoch-001.safetensors", "last.safetensors"])
    // Stopped without saving after step 20: the resume starts from the step-19 checkpoint, mid-epoch.
    let resumed = try Trainer(config: cfg, resume: true)
    XCTAssertEqual(resumed.state.step, 19)
    XCTAssertEqual(resumed.state.epoch, 2)
    XCTAssertEqual(resumed.state.batchInEpoch, 3)
  }

  func testSPOSStepChangesOnlySampledOps() throws {
    var cfg = tinyConfig("spos")
    cfg.epochs = 1; cfg.trainLimit = 32  // exactly one step
    let t = try Trainer(config: cfg)
    let before = weights(t)
    var arch = ""
    t.addSink { if case .step(let s) = $0 { arch = s.paths[0].arch } }
    try t.run()
    let e = try NB201Space().parse(arch)
    let after = weights(t)
    // An op's weights get gradient when its edge is chosen, its source node carries the input, and its
    // target node reaches the cell output through non-`none` edges.
    let edges = NB201Space.edges
    var live: Set<Int> = [3]
    for node in [2, 1] where edges.enumerated().contains(where: { k, ed in ed.from == node && live.contains(ed.to) && e.digits[k] != 0 }) {
      live.insert(node)
    }
    var fed: Set<Int> = [0]
    for node in 1...3 where edges.enumerated().contains(where: { k, ed in ed.to == node && fed.contains(ed.from) && e.digits[k] != 0 }) {
      fed.insert(node)
    }
    for (name, v) in before where name.contains(".edges.") {
      // cells.<i>.edges.<e>.<op>.conv.weight
      let parts = name.split(separator: ".")
      let k = Int(parts[3])!, op = String(parts[4])
      let chosen = NB201Space.opNames[Int(e.digits[k])] == op
      let changed = v != after[name]!
      if !chosen { XCTAssertFalse(changed, "\(name) was not sampled and must not change") }
      if chosen, name.hasSuffix("conv.weight"), live.contains(edges[k].to), fed.contains(edges[k].from) {
        XCTAssertTrue(changed, "\(name) was sampled and live in \(arch)")
      }
    }

    XCTAssertNotEqual(before["classifier.weight"]!, after["classifier.weight"]!)
  }

  func testCheckpointRoundTripAndCorruptionRejected() throws {
    var cfg = tinyConfig("ckpt")
    cfg.epochs = 1
    let t = try Trainer(config: cfg)
    try t.run()
    let path = t.folder.lastCheckpointPath
    let loaded = try Checkpoint.load(path: path)
    XCTAssertEqual(loaded.state?.step, 8)
    XCTAssertEqual(loaded.config?.name, "ckpt")
    for p in t.net.store.all { XCTAssertEqual(loaded.tensors[p.name]?.values, p.values, p.name) }
    XCTAssertFalse(loaded.tensors.keys.filter { $0.hasPrefix("optimizer.momentum.") }.isEmpty)
    // Truncated copy.
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let bad = runs + "/bad.safetensors"
    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: bad))
    XCTAssertThrowsError(try Checkpoint.load(path: bad)) { XCTAssertTrue("\($0)".contains("truncated") || "\($0)".contains("not a valid"), "\($0)") }
    // A valid safetensors file that is not an rdnas checkpoint.
    try SafeTensors.write([("w", .init(shape: [1], values: [1]))], metadata: [:], path: bad)
    XCTAssertThrowsError(try Checkpoint.load(path: bad)) { XCTAssertTrue("\($0)".contains("not an rdnas checkpoint")) }
    // Existing run folder is not overwritten without --resume.
    XCTAssertThrowsError(try Trainer(config: cfg)) { XCTAssertTrue("\($0)".contains("already holds a run")) }
  }

  func testLandmarkEvaluationAgainstGroundTruthByAccuracyAndByLoss() throws {
    // A small ground truth in the NB201 space: 8 distinct cells with made-up accuracies.
    var rng = RandomSource(seed: 3)
    let space = NB201Space()
    var entries: [String] = [], seen = Set<String>()
    while entries.count < 8 {
      let a = space.format(space.sample(using: &rng))
      if seen.insert(a).inserted { entries.append("\"arch\(entries.count + 1)\": {\"acc\": \(50 + entries.count), \"arch\": \"\(a)\"}") }
    }
    try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
    let gt = runs + "/gt.json"
    try ("{" + entries.joined(separator: ", ") + "}").write(toFile: gt, atomically: true, encoding: .utf8)
    var cfg = tinyConfig("landmarks")
    cfg.epochs = 1; cfg.rank.groundTruth = gt; cfg.rank.landmarks = 4; cfg.rank.evalImages = 64
    let t = try Trainer(config: cfg)
    var set: LandmarkSet?, evals: [EvaluationRecord] = []
    t.addSink { e in
      if case .landmarks(let l) = e { set = l }
      if case .evaluation(let r) = e { evals.append(r) }
    }
    try t.run()
    let truth = try XCTUnwrap(set?.groundTruth)
    XCTAssertEqual(truth.count, 4)
    let last = try XCTUnwrap(evals.last)
    let losses = try XCTUnwrap(last.losses)
    XCTAssertEqual(losses.count, 4)
    XCTAssertTrue(losses.allSatisfy { $0.isFinite && $0 > 0 })
    XCTAssertEqual(last.tauGroundTruth, try KendallTau.tauB(last.accuracies, truth))
    XCTAssertEqual(last.tauGroundTruthByLoss, try KendallTau.tauB(losses.map { -$0 }, truth))
    XCTAssertEqual(last.scoreBy, "accuracy")
    XCTAssertEqual(last.tauGroundTruthByScore, last.tauGroundTruth)
  }

  /// `--score-by loss`: τ vs proxy and vs the previous evaluation are of −loss, and the headline τ vs GT is
  /// the by-loss one, so the monitor shows what the benchmark ranks by.
  func testLandmarkScoreByLoss() throws {
    var cfg = tinyConfig("landmarks-loss")
    cfg.epochs = 2; cfg.rank.proxy = "flops"; cfg.rank.pairs = 1; cfg.rank.landmarks = 6; cfg.rank.evalImages = 64
    cfg.rank.scoreBy = .loss
    let t = try Trainer(config: cfg)
    var set: LandmarkSet?, evals: [EvaluationRecord] = []
    t.addSink { e in
      if case .landmarks(let l) = e { set = l }
      if case .evaluation(let r) = e { evals.append(r) }
    }
    try t.run()
    XCTAssertEqual(evals.count, 2)
    let prior = try XCTUnwrap(set?.prior)
    for e in evals { XCTAssertEqual(e.scoreBy, "loss") }
    let (first, last) = (evals[0], evals[1])
    let negLoss = try XCTUnwrap(last.losses).map { -$0 }
    XCTAssertEqual(last.tauProxy, try KendallTau.tauB(negLoss, prior))
    XCTAssertEqual(last.tauPrevious, try KendallTau.tauB(negLoss, try XCTUnwrap(first.losses).map { -$0 }))
  }

  /// Many steps of a sandwich run with rank pairs (random subnet shapes every step): once the buffer pool and
  /// the primitive caches are warm, resident memory must stay flat.
  func testResidentMemoryDoesNotGrowOverEpochs() throws {
    var cfg = tinyConfig("leak", space: "resnet")
    cfg.strategy = .sandwich; cfg.pathsPerStep = 4; cfg.epochs = 10
    cfg.rank.proxy = "flops"; cfg.rank.pairs = 2
    let t = try Trainer(config: cfg)
    var rss: [Double] = []
    t.addSink { if case .epochEnd(let e) = $0, let r = e.residentMiB { rss.append(r) } }
    try t.run()
    guard rss.count == 10 else { return XCTFail("RSS not reported at every epoch end: \(rss)") }
    // Epochs 1–2 warm the pools; from there on (8 epochs, 64 steps, 384 passes) nothing may accumulate.
    // Measured: [72, 94, 95, 95, 95, 95, 95, 95, 95, 95] MiB.
    let growth = rss[9] - rss[2]
    XCTAssertLessThan(growth, 8, "RSS per epoch (MiB): \(rss.map { Int($0) })")
  }

  func testProxySwitchIsAppliedAtAStepBoundaryAndLogged() throws {
    var cfg = tinyConfig("switch")
    cfg.epochs = 1; cfg.rank.proxy = "slow"; cfg.rank.pairs = 1; cfg.rank.landmarks = 4; cfg.rank.evalImages = 64
    // A proxy that costs 20 ms per architecture, so the epoch's prior time has a known floor.
    let calls = Counter()
    let t = try Trainer(config: cfg) { _, arch, space in
      calls.add()
      Thread.sleep(forTimeInterval: 0.02)
      return space.flops(arch)
    }
    let callsBeforeRun = calls.value  // landmark priors, computed when the trainer is built
    var callsInEpoch = 0
    var proxies: [Int: String] = [:]
    var epochs: [EpochRecord] = []
    t.addSink { e in
      if case .epochEnd(let r) = e { epochs.append(r); callsInEpoch = calls.value - callsBeforeRun }
      if case .rankPair(let p) = e { proxies[p.step] = p.proxy }
      if case .step(let s) = e, s.step == 3 { t.commands.send(.setProxy("params")) }
    }
    try t.run()
    XCTAssertEqual(proxies[3], "slow")
    XCTAssertEqual(proxies[4], "params")
    // The epoch says how many priors were new and what they cost: at least the scorer's 20 ms per call, and
    // no more than the epoch took.
    let epoch = try XCTUnwrap(epochs.first)
    let newPriors = try XCTUnwrap(epoch.newPriors), seconds = try XCTUnwrap(epoch.priorSeconds)
    XCTAssertGreaterThan(callsInEpoch, 0)
    XCTAssertGreaterThanOrEqual(newPriors, callsInEpoch, "every scorer call is a new prior")
    XCTAssertLessThanOrEqual(newPriors, 2 * 8 + 2 * 4)  // 8 steps × 1 pair of 2, plus at most 4 landmark priors per proxy
    XCTAssertGreaterThanOrEqual(seconds, 0.02 * Double(callsInEpoch))
    XCTAssertLessThan(seconds, epoch.seconds)
    let log = try String(contentsOfFile: t.folder.metricsPath, encoding: .utf8)
    XCTAssertTrue(log.contains("guidance proxy is now params"))
    let events = log.split(separator: "\n").compactMap { EventCoding.decode($0) }
    XCTAssertEqual(events.count, log.split(separator: "\n").count, "every line decodes")
  }

  /// `--rank-from 1 --rank-every 2`: no rank pair (and no λ) before epoch 1, then one on every second step;
  /// the steps without pairs carry no rank loss.
  func testRankPairsOnlyFromTheirEpochAndEveryKthStep() throws {
    var cfg = tinyConfig("late")
    cfg.epochs = 2; cfg.rank.proxy = "flops"; cfg.rank.pairs = 1; cfg.rank.lambda = .constant; cfg.rank.lambdaMax = 1
    cfg.rank.fromEpoch = 1; cfg.rank.everySteps = 2
    let t = try Trainer(config: cfg)
    var pairSteps: [Int] = [], rankLossSteps: [Int] = [], steps = 0
    t.addSink { e in
      if case .rankPair(let p) = e { pairSteps.append(p.step) }
      if case .step(let s) = e { steps = s.step; if s.rankLoss != nil { rankLossSteps.append(s.step) } }
    }
    try t.run()
    XCTAssertEqual(steps, 16)  // 2 epochs × 8 steps
    // 0-based steps 8, 10, 12, 14 (epoch 1, every second); records count steps from 1.
    XCTAssertEqual(pairSteps, [9, 11, 13, 15])
    XCTAssertEqual(rankLossSteps, [9, 11, 13, 15])
    var bad = cfg; bad.rank.everySteps = 0
    XCTAssertThrowsError(try bad.validate())
    bad = cfg; bad.rank.fromEpoch = -1
    XCTAssertThrowsError(try bad.validate())
  }

  /// `--pair-task-weight`: a rank pair's two passes also train their subnets on the batch. At λ 0 the pair
  /// passes change nothing without it (nil and 0 give identical weights) and change the weights with it, and
  /// the step's logged loss is the objective: paths + λ·hinge + w·(ℓ_a + ℓ_b).
  func testPairTaskWeightTrainsThePairPassesAndCountsInTheStepLoss() throws {
    var cfg = tinyConfig("task")
    cfg.epochs = 1; cfg.rank.proxy = "flops"; cfg.rank.pairs = 1; cfg.rank.lambda = .constant; cfg.rank.lambdaMax = 0
    func train(_ name: String, _ w: Double?) throws -> (Trainer, [StepRecord], [Int: [RankPairRecord]]) {
      var c = cfg; c.name = name; c.rank.pairTaskWeight = w
      let t = try Trainer(config: c)
      var steps: [StepRecord] = [], pairs: [Int: [RankPairRecord]] = [:]
      t.addSink { e in
        if case .step(let s) = e { steps.append(s) }
        if case .rankPair(let p) = e { pairs[p.step, default: []].append(p) }
      }
      try t.run()
      return (t, steps, pairs)
    }
    let (plain, _, _) = try train("plain", nil)
    let (zero, _, _) = try train("zero", 0)
    let (task, steps, pairs) = try train("with-task", 0.5)
    XCTAssertEqual(weights(plain), weights(zero), "a zero task weight is the hinge alone")
    XCTAssertNotEqual(weights(plain), weights(task), "the pair passes train their subnets")
    XCTAssertEqual(steps.count, 8)
    for s in steps {
      let p = try XCTUnwrap(pairs[s.step]?.first)
      let expected = s.paths.reduce(0) { $0 + $1.loss } + (s.rankLoss ?? 0) + 0.5 * (p.lossA + p.lossB)
      XCTAssertEqual(s.loss, expected, accuracy: 1e-4 * max(1, abs(expected)), "step \(s.step)")
    }
    var bad = cfg; bad.rank.pairTaskWeight = -1
    XCTAssertThrowsError(try bad.validate())
  }

  /// `--min-prior-gap`: every rank pair's teacher quantiles differ by at least the gap (with the random teacher
  /// the prior is its own quantile); a teacher without quantiles is refused before training.
  func testConfidentPairSamplerKeepsTheQuantileGap() throws {
    var cfg = tinyConfig("confident")
    cfg.epochs = 1; cfg.rank.proxy = "random"; cfg.rank.pairs = 2; cfg.rank.minPriorGap = 0.4
    let t = try Trainer(config: cfg)
    var gaps: [Double] = []
    t.addSink { if case .rankPair(let p) = $0 { gaps.append(abs(p.priorA - p.priorB)) } }
    try t.run()
    XCTAssertEqual(gaps.count, 16)
    XCTAssertTrue(gaps.allSatisfy { $0 >= 0.4 }, "\(gaps)")
    var bad = cfg; bad.rank.proxy = "flops"
    XCTAssertThrowsError(try bad.validate()) { XCTAssertTrue("\($0)".contains("scores the whole space"), "\($0)") }
    bad = cfg; bad.rank.minPriorGap = 1
    XCTAssertThrowsError(try bad.validate())
  }

  func testResNetSandwichLossFallsOnFashionMNIST() throws {
    var cfg = tinyConfig("falls", space: "resnet")
    cfg.strategy = .sandwich; cfg.pathsPerStep = 3
    cfg.resnet.baseChannels = [8, 16, 16, 32]; cfg.resnet.maxDepths = [2, 2, 2, 2]
    cfg.trainLimit = 2048; cfg.batchSize = 64; cfg.epochs = 6; cfg.lr = 0.1  // 192 steps
    let t = try Trainer(config: cfg)
    var largest: [Double] = []
    t.addSink { if case .step(let s) = $0 { largest.append(s.paths[0].loss) } }
    try t.run()
    let first = largest.prefix(10).reduce(0, +) / 10, last = largest.suffix(10).reduce(0, +) / 10
    XCTAssertLessThan(last, first * 0.5, "largest path CE \(first) → \(last)")
  }
}

/// A count shared with a scorer closure.
final class Counter: @unchecked Sendable {
  private var n = 0
  private let lock = NSLock()
  func add() { lock.lock(); n += 1; lock.unlock() }
  var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
