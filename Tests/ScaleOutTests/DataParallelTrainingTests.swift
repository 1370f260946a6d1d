import XCTest
import Foundation
import Data
import Engine
import Training

/// `mpirun -np 2 rdnas train …` against `rdnas train …` on a tiny NB201 supernet (C=4, N=1, 256
/// Fashion-MNIST images, global batch 32: 8 steps per epoch).
final class DataParallelTrainingTests: XCTestCase {
  var runs = ""

  override func setUpWithError() throws {
    guard FileManager.default.fileExists(atPath: DatasetLoader.defaultFashionMNISTDirectory) else {
      throw XCTSkip("Fashion-MNIST not installed")
    }
    _ = try MPI.mpirun()
    runs = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-dp-\(UUID().uuidString)").path
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: runs) }

  func trainArgs(_ name: String, epochs: Int, _ extra: [String] = []) -> [String] {
    ["train", "--headless", "--runs-dir", runs, "--name", name, "--space", "nb201", "--nb201-c", "4", "--nb201-n", "1",
     "--train-limit", "256", "--validation-size", "200", "--batch-size", "32", "--epochs", "\(epochs)",
     "--strategy", "spos", "--paths", "1", "--threads", "1", "--precision", "fp32", "--seed", "7", "--log-every", "1",
     "--schedule", "constant", "--lr", "0.05"] + extra
  }

  func events(_ name: String) -> [TrainerEvent] {
    let text = (try? String(contentsOfFile: "\(runs)/\(name)/metrics.jsonl", encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { EventCoding.decode($0) }
  }

  func stepLosses(_ name: String) -> [Int: Double] {
    var out: [Int: Double] = [:]
    for case .step(let s) in events(name) { out[s.step] = s.loss }
    return out
  }

  func trainable(_ name: String) throws -> [String: [Float]] {
    let c = try Checkpoint.load(path: "\(runs)/\(name)/checkpoints/last.safetensors")
    var out: [String: [Float]] = [:]
    for (k, v) in c.tensors where !k.hasPrefix("optimizer.") && !k.contains("running_") { out[k] = v.values }
    return out
  }

  func distance(_ a: [String: [Float]], _ b: [String: [Float]]) -> Double {
    var s = 0.0
    for (k, u) in a { for (x, y) in zip(u, b[k] ?? []) { s += Double(x - y) * Double(x - y) } }
    return s.squareRoot()
  }

  /// `--precision auto` under mpirun: rank 0 measures, every rank takes its choice (a rank measuring on its own
  /// could pick differently, or wait in the broadcast forever), and the run records it once.
  func testTwoRanksShareOneAutoPrecisionChoice() throws {
    let args = trainArgs("auto2", epochs: 1).map { $0 == "fp32" ? "auto" : $0 }
    let job = try MPI.Job(try MPI.mpirun(), ["--allow-run-as-root", "--oversubscribe", "-np", "2", try MPI.rdnas()] + args,
                          extraEnvironment: ["XDG_CACHE_HOME": runs + "/cache"])
    let r = job.finish()
    XCTAssertEqual(r.status, 0, r.output)
    let started = events("auto2").compactMap { e -> RunInfo? in if case .started(let i) = e { return i } else { return nil } }
    XCTAssertEqual(started.count, 1)
    let reason = try XCTUnwrap(started.first?.precisionReason)
    XCTAssertTrue(reason.hasPrefix("auto: "), reason)
    XCTAssertEqual(started.first?.ranks, 2)
  }

  /// (a) with BN: each rank normalises its half batch with its own statistics (as PyTorch DDP does by
  /// default), so 2 ranks are not bit-equal to 1 rank; everything else (data, paths, gradient average,
  /// update) is the same. Tolerances, from measurements on this net: every step's loss within 1% of the
  /// 1-rank loss (measured ≤ 0.3%), and after 8 steps the two runs' weights apart by less than 30% of the
  /// distance they travelled (measured 19%; with a global batch of 128 the gap halves, as per-rank BN
  /// statistics of 64 images approach those of 128). The exact comparison without BN is
  /// `LinearDataParallelTests`.
  func testTwoRanksHalfBatchTrackOneRankFullBatch() throws {
    let one = try MPI.run(ranks: 0, trainArgs("one", epochs: 1))
    XCTAssertEqual(one.status, 0, one.output)
    let two = try MPI.run(ranks: 2, trainArgs("two", epochs: 1))
    XCTAssertEqual(two.status, 0, two.output)

    // Initial weights: the same seed and space, no step taken.
    var cfg = TrainingConfig()
    cfg.space = "nb201"; cfg.nb201.C = 4; cfg.nb201.N = 1; cfg.seed = 7; cfg.dataset = "fashion-mnist"
    cfg.validationSize = 200; cfg.trainLimit = 256
    _ = try RunData.load(&cfg)  // the dataset's input shape and classes
    let initial = try cfg.makeSupernet(space: try cfg.makeSpace())
    var w0: [String: [Float]] = [:]
    for p in initial.store.all where p.kind != .buffer { w0[p.name] = p.values }

    let w1 = try trainable("one"), w2 = try trainable("two")
    XCTAssertEqual(Set(w1.keys), Set(w0.keys))
    for (k, v) in w0 { XCTAssertEqual(v.count, w1[k]?.count, k) }
    let travelled = distance(w1, w0), apart = distance(w2, w1)
    XCTAssertGreaterThan(travelled, 0)
    XCTAssertLessThan(apart / travelled, 0.3, "2 ranks vs 1: \(apart) apart after travelling \(travelled)")
    let l1 = stepLosses("one"), l2 = stepLosses("two")
    XCTAssertEqual(l2.count, 8)
    for (step, loss) in l1 { XCTAssertEqual(l2[step] ?? 0, loss, accuracy: 0.01 * loss, "step \(step)") }
    if case .started(let info)? = events("two").first { XCTAssertEqual(info.ranks, 2) } else { XCTFail("no started event") }
    print("data-parallel BN: |w2-w1|/|w1-w0| = \(apart / travelled)")
  }

  /// Landmark evaluation during training is split over the ranks (after averaging BN statistics) and
  /// gathered in landmark order: its accuracies are exactly what one process's `rdnas eval` computes from the
  /// checkpoint written right after it (5 landmarks over 2 ranks: uneven parts).
  func testShardedLandmarkEvaluationMatchesOneProcessEval() throws {
    let name = "landmarks"
    let r = try MPI.run(ranks: 2, trainArgs(name, epochs: 1, ["--proxy", "flops", "--pairs", "0", "--landmarks", "5",
                                                               "--eval-images", "64"]))
    XCTAssertEqual(r.status, 0, r.output)
    var archs: [String] = [], record: EvaluationRecord?
    for e in events(name) {
      if case .landmarks(let l) = e { archs = l.archs }
      if case .evaluation(let v) = e { record = v }
    }
    let evaluation = try XCTUnwrap(record)
    XCTAssertEqual(archs.count, 5)
    let cands = "\(runs)/landmarks.json", out = "\(runs)/landmark-scores.json"
    let body = archs.enumerated().map { "\"arch\($0.offset + 1)\": {\"acc\": 0, \"arch\": \"\($0.element)\"}" }
    try ("{" + body.joined(separator: ", ") + "}").write(toFile: cands, atomically: true, encoding: .utf8)
    let e = try MPI.run(ranks: 0, ["eval", "--run", "\(runs)/\(name)", "--archs", cands, "--out", out, "--images", "64",
                                   "--threads", "1", "--precision", "fp32"])
    XCTAssertEqual(e.status, 0, e.output)
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
                             as? [String: [String: Any]])
    let single = (1...5).map { json["arch\($0)"]?["acc"] as? Double ?? -1 }
    XCTAssertEqual(single, evaluation.accuracies)
    let losses = try XCTUnwrap(evaluation.losses)
    for k in 0..<5 {
      let l = Double("\(json["arch\(k + 1)"]?["loss"] ?? "")") ?? -1
      XCTAssertEqual(l, losses[k], accuracy: 1e-6, "landmark \(k + 1)")
    }
  }

  /// (b) A command written to the control file reaches rank 0 only; it is broadcast and applied at the same
  /// step on both ranks (rank 1 reports what it applied on stderr), and the rank pairs switch proxy there.
  func testControlCommandIsAppliedAtTheSameStepOnEveryRank() throws {
    let name = "control"
    let job = try MPI.rdnasJob(ranks: 2, trainArgs(name, epochs: 60, ["--proxy", "flops", "--pairs", "1"]))
    XCTAssertTrue(MPI.wait { self.stepLosses(name).count >= 3 }, "training did not start")
    try ControlChannel.send(.setProxy("params"), runFolder: "\(runs)/\(name)")
    var switchStep: Int?
    XCTAssertTrue(MPI.wait {
      for case .commandApplied(let c) in self.events(name) where c.command == .setProxy("params") { switchStep = c.step }
      return switchStep != nil
    })
    try ControlChannel.send(.stop(save: false), runFolder: "\(runs)/\(name)")
    let (status, output) = job.finish()
    XCTAssertEqual(status, 0, output)
    let s = try XCTUnwrap(switchStep)
    XCTAssertTrue(output.contains("rdnas: rank 1: step \(s): guidance proxy is now params"), output)
    var stopStep: Int?
    for case .commandApplied(let c) in events(name) where c.command == .stop(save: false) { stopStep = c.step }
    let t = try XCTUnwrap(stopStep)
    XCTAssertTrue(output.contains("rdnas: rank 1: step \(t): stopping"), output)
    for case .rankPair(let p) in events(name) { XCTAssertEqual(p.proxy, p.step <= s ? "flops" : "params", "step \(p.step)") }
  }

  /// (d) A checkpoint holds global state only: a 2-rank run stopped after epoch 1 continues with 1 rank
  /// from step 9 on the loss curve of the uninterrupted 2-rank run (within 1%, the per-rank BN tolerance of
  /// test (a); measured ≤ 0.26%), and with 2 ranks on exactly that curve.
  func testTwoRankCheckpointResumesWithOneRank() throws {
    let straight = try MPI.run(ranks: 2, trainArgs("straight", epochs: 2))
    XCTAssertEqual(straight.status, 0, straight.output)
    for (name, ranks) in [("to-one", 0), ("to-two", 2)] {
      let first = try MPI.run(ranks: 2, trainArgs(name, epochs: 1))
      XCTAssertEqual(first.status, 0, first.output)
      let second = try MPI.run(ranks: ranks, trainArgs(name, epochs: 2) + ["--resume"])
      XCTAssertEqual(second.status, 0, second.output)
    }
    let reference = stepLosses("straight"), one = stepLosses("to-one"), two = stepLosses("to-two")
    XCTAssertEqual(reference.count, 16)
    var worst = 0.0
    for step in 9...16 {
      let r = try XCTUnwrap(reference[step]), a = try XCTUnwrap(one[step], "step \(step)"), b = try XCTUnwrap(two[step])
      XCTAssertEqual(b, r, accuracy: 1e-5 * r, "2→2 ranks, step \(step)")
      XCTAssertEqual(a, r, accuracy: 0.01 * r, "2→1 rank, step \(step)")
      worst = max(worst, abs(a - r) / r)
    }
    print("resume 2→1 ranks: worst relative loss difference \(worst)")
  }

  /// (e) A rank that dies ends the whole job: mpirun names it and exits non-zero; the last checkpoint then
  /// resumes the run.
  func testKilledRankEndsTheJobAndTheRunResumes() throws {
    let name = "killed"
    let job = try MPI.rdnasJob(ranks: 2, trainArgs(name, epochs: 3))
    let folder = "\(runs)/\(name)"
    XCTAssertTrue(MPI.wait { self.events(name).contains { if case .checkpoint = $0 { return true } else { return false } } })
    // Paused, both ranks wait at the same step boundary: the kill cannot race with the end of training.
    try ControlChannel.send(.pause, runFolder: folder)
    XCTAssertTrue(MPI.wait { self.events(name).contains { if case .paused = $0 { return true } else { return false } } })
    let victim = try XCTUnwrap(rankProcess(1, under: job.process.processIdentifier), "rank 1 not found")
    kill(victim, SIGKILL)
    let (status, output) = job.finish()
    XCTAssertNotEqual(status, 0)
    XCTAssertTrue(output.contains("rank 1"), output)
    let resumed = try MPI.run(ranks: 2, trainArgs(name, epochs: 3) + ["--resume"])
    XCTAssertEqual(resumed.status, 0, resumed.output)
    guard case .finished(let f)? = events(name).last else { return XCTFail("resumed run did not finish") }
    XCTAssertEqual(f.step, 24)
  }

  /// `rdnas train --ranks 2` starts mpirun itself (here headless: the monitor variant needs a terminal).
  func testRanksOptionLaunchesMPIRun() throws {
    let args = trainArgs("launched", epochs: 1).filter { $0 != "--headless" } + ["--ranks", "2", "--headless"]
    let r = try MPI.run(ranks: 0, args)
    XCTAssertEqual(r.status, 0, r.output)
    guard case .started(let info)? = events("launched").first else { return XCTFail("no started event: \(r.output)") }
    XCTAssertEqual(info.ranks, 2)
    guard case .finished(let f)? = events("launched").last else { return XCTFail("not finished") }
    XCTAssertEqual(f.step, 8)
  }

  /// The process of MPI rank `rank` among `parent`'s descendants (read from its environment).
  func rankProcess(_ rank: Int, under parent: Int32) -> Int32? {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
    for e in entries {
      guard let pid = Int32(e), let stat = try? String(contentsOfFile: "/proc/\(e)/stat", encoding: .utf8) else { continue }
      // Field 4 of stat (after the parenthesised command) is the parent pid.
      guard let close = stat.lastIndex(of: ")") else { continue }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, Int32(fields[1]) == parent,
            let env = FileManager.default.contents(atPath: "/proc/\(e)/environ") else { continue }
      let vars = env.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      if vars.contains("OMPI_COMM_WORLD_RANK=\(rank)") { return pid }
    }
    return nil
  }
}
