import XCTest
import Foundation
import Common
import Search
@testable import Training

/// `--branch-from` (a run continued from another run's checkpoint with its own options) and `--rank-pool`
/// (rank pairs drawn from a list of architectures); the tiny runs of `TrainerTests`.
extension TrainerTests {
  /// A branch from the parent's epoch-0 checkpoint with the parent's own options retraces the parent's second
  /// epoch exactly (weights, momentum, step, epoch and sampler state all come from the checkpoint); a branch
  /// that turns on ranking distillation from there ends elsewhere.
  func testBranchFromCheckpointRetracesParentAndDivergesWithOtherOptions() throws {
    let parent = try Trainer(config: tinyConfig("parent"))
    try parent.run()
    let point = parent.folder.checkpointDirectory + "/epoch-000.safetensors"

    var same = tinyConfig("same"); same.branchFrom = point
    let retrace = try Trainer(config: same)
    XCTAssertEqual(retrace.state.step, 8)
    XCTAssertEqual(retrace.state.epoch, 1)
    var steps: [Int] = []
    retrace.addSink { if case .step(let s) = $0 { steps.append(s.step) } }
    try retrace.run()
    XCTAssertEqual(steps, Array(9...16))
    let wp = weights(parent), wr = weights(retrace)
    for (name, v) in wp {
      let worst = zip(wr[name]!, v).map { abs($0 - $1) }.max() ?? 0
      XCTAssertLessThan(worst, 1e-5, name)
    }

    var other = tinyConfig("distilled"); other.branchFrom = point
    other.rank.proxy = "flops"; other.rank.pairs = 1; other.rank.lambda = .constant; other.rank.lambdaMax = 10
    other.rank.landmarks = 4; other.rank.evalImages = 64
    let distilled = try Trainer(config: other)
    try distilled.run()
    let moved = wp.keys.map { name in zip(weights(distilled)[name]!, wp[name]!).map { abs($0 - $1) }.max() ?? 0 }.max()!
    XCTAssertGreaterThan(moved, 1e-3)
    // The branch's own config (with where it came from) is what its folder records.
    let saved = try JSONDecoder().decode(TrainingConfig.self, from: Data(contentsOf: URL(fileURLWithPath: distilled.folder.path + "/config.json")))
    XCTAssertEqual(saved.branchFrom, point)
    XCTAssertEqual(saved.rank.proxy, "flops")
  }

  func testBranchFromRejectsWhatCannotContinue() throws {
    let parent = try Trainer(config: tinyConfig("parent"))
    try parent.run()
    let last = parent.folder.checkpointDirectory + "/epoch-001.safetensors"
    func message(_ edit: (inout TrainingConfig) -> Void) -> String {
      var c = tinyConfig("branch-\(UUID().uuidString.prefix(6))"); edit(&c)
      do { _ = try Trainer(config: c); return "accepted" } catch { return "\(error)" }
    }
    XCTAssertTrue(message { $0.branchFrom = last }.contains("--epochs must exceed it"))
    XCTAssertTrue(message { $0.branchFrom = "/nonexistent/x.safetensors" }.contains("no such checkpoint"))
    XCTAssertTrue(message { $0.branchFrom = last; $0.epochs = 3; $0.batchSize = 16 }.contains("batch 32"))
    XCTAssertTrue(message { $0.branchFrom = last; $0.initFrom = last }.contains("exclude each other"))
    let truncated = runs + "/truncated.safetensors"
    let bytes = try Data(contentsOf: URL(fileURLWithPath: last))
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
    XCTAssertFalse(message { $0.branchFrom = truncated; $0.epochs = 3 } == "accepted")
  }

  /// With a pool, every rank pair's members come from it, and a table teacher needs scores for the pool only.
  func testRankPoolDrawsPairsFromThePoolOnly() throws {
    let space = try tinyConfig("x").makeSpace()
    var rng = RandomSource(seed: 3)
    var pool: [String] = []
    while pool.count < 5 { let a = space.format(space.sample(using: &rng)); if !pool.contains(a) { pool.append(a) } }
    try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
    let poolPath = runs + "/pool.json", teacherPath = runs + "/teacher.csv"
    let json = Dictionary(uniqueKeysWithValues: pool.enumerated().map { ("arch\($0.offset + 1)", ["acc": 0.0, "arch": $0.element] as [String: Any]) })
    try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: poolPath))
    try ("arch,score\n" + pool.enumerated().map { "\($0.element),\($0.offset)" }.joined(separator: "\n") + "\n")
      .write(toFile: teacherPath, atomically: true, encoding: .utf8)

    var c = tinyConfig("pooled"); c.epochs = 1
    c.rank.proxy = "file:" + teacherPath; c.rank.pairs = 2; c.rank.pool = poolPath; c.rank.minPriorGap = 0.3
    c.rank.landmarks = 4; c.rank.evalImages = 64
    let t = try Trainer(config: c)
    var members: Set<String> = []
    var pairs = 0
    t.addSink { if case .rankPair(let p) = $0 { members.insert(p.a); members.insert(p.b); pairs += 1 } }
    try t.run()
    XCTAssertEqual(pairs, 16)
    XCTAssertTrue(members.isSubset(of: Set(pool)), "\(members.subtracting(pool))")
    XCTAssertGreaterThan(members.count, 2)

    // Without the pool the same teacher fails on the first architecture outside it.
    var whole = c; whole.name = "whole"; whole.rank.pool = nil
    XCTAssertThrowsError(try Trainer(config: whole).run()) { XCTAssertTrue("\($0)".contains("has no score for architecture")) }
    // A pool entry that is not an architecture of the space is one clear error.
    try "{\"arch1\": {\"acc\": 0, \"arch\": \"not-a-cell\"}}".write(toFile: poolPath, atomically: true, encoding: .utf8)
    var bad = c; bad.name = "bad"
    XCTAssertThrowsError(try Trainer(config: bad)) { XCTAssertTrue("\($0)".contains("not a nb201 architecture"), "\($0)") }
  }
}
