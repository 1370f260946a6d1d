import XCTest
import Foundation
@testable import RunEvents

/// The metrics.jsonl format is public (docs/run-format.md): every event type survives a round trip, lines
/// have the documented keys, and files of the previous schema still decode.
final class EventSchemaTests: XCTestCase {
  func step0Paths(_ step: [String: Any]) -> [[String: Any]] { step["paths"] as? [[String: Any]] ?? [] }

  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// One event of every type, with every optional field set.
  static let everyEvent: [TrainerEvent] = [
    .started(RunInfo(name: "r", space: "nb201", strategy: "sandwich", proxy: "flops", proxies: ["flops", "params"],
                     epochs: 3, stepsPerEpoch: 10, batchSize: 32, dataset: "fashion-mnist", startStep: 4,
                     time: 1_764_480_000.5, ranks: 2, precision: "bf16",
                     precisionReason: "auto: bf16 is faster (fp32 41.0 ms, bf16 22.3 ms)",
                     precisionFP32Milliseconds: 41.0, precisionBF16Milliseconds: 22.3,
                     threads: 2, openMP: "default (libgomp's default)")),
    .step(StepRecord(step: 5, epoch: 0, lr: 0.05, loss: 2.5,
                     paths: [PathRecord(role: "largest", arch: "|nor_conv_3x3~0|", loss: 2.25, flops: 3e6)],
                     rankLoss: 0.125, lambda: 0.5, gradNorm: .infinity, imagesPerSecond: 400, elapsed: 1.5)),
    .rankPair(RankPairRecord(step: 5, a: "a", b: "b", priorA: 2, priorB: 1, lossA: 0.5, lossB: 0.25, hinge: 0.25,
                             lambda: 0.5, proxy: "flops", distance: 3, concordant: false)),
    .landmarks(LandmarkSet(archs: ["a", "b"], groundTruth: [0.9, 0.8], prior: [2, 1], proxy: "flops",
                           flops: [3e6, 1e6], params: [1000, 400])),
    .evaluation(EvaluationRecord(step: 10, epoch: 0, accuracies: [0.5, 0.25], tauGroundTruth: 1, tauProxy: -1,
                                 tauPrevious: 0.5, losses: [1, 2], tauGroundTruthByLoss: 1, scoreBy: "loss")),
    .epochEnd(EpochRecord(epoch: 0, step: 10, meanLoss: .nan, seconds: 12.5, residentMiB: 100.5,
                          peakResidentMiB: 120.25, priorSeconds: 0.5, newPriors: 7)),
    .checkpoint(CheckpointRecord(step: 10, path: "runs/r/checkpoints/last.safetensors", reason: "epoch",
                                 time: 1_764_480_012.25)),
    .commandApplied(CommandRecord(step: 10, command: .setProxy("params"), detail: "guidance proxy is now params")),
    .paused(PauseRecord(step: 10, paused: true)),
    .finished(FinishRecord(step: 30, seconds: 40.5, stopped: false)),
    .failed(FailureRecord(step: 30, message: "out of memory")),
    .detached(DetachRecord(step: 12, reason: "SIGHUP", time: 1_764_480_013.5)),
    .search({ var e = SearchEvent(event: "scored", time: 1_764_480_014.5); e.generation = 1; e.arch = "1234"
              e.score = 0.5; e.flops = 3e6; e.params = 1000; return e }()),
  ]

  static let everyCommand: [TrainerCommand] = [.pause, .resume, .setProxy("zen"), .checkpoint, .stop(save: true),
                                               .stop(save: false)]

  func object(_ line: String) throws -> [String: Any] {
    try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
  }

  func testEveryEventTypeRoundTrips() throws {
    var types = Set<String>()
    for e in Self.everyEvent {
      let line = EventCoding.line(e)
      XCTAssertFalse(line.contains("\n"), "one event, one line")
      let decoded = try XCTUnwrap(EventCoding.decode(Substring(line)), line)
      // NaN != NaN, so compare the re-encoded lines.
      XCTAssertEqual(EventCoding.line(decoded), line)
      // A search's line is keyed by `event` (events.jsonl's own shape); every other line carries `type`.
      let type = try object(line)["type"] as? String ?? EventCoding.type(of: decoded)
      XCTAssertEqual(type, EventCoding.type(of: e))
      types.insert(type)
    }
    XCTAssertEqual(types, Set(EventCoding.types), "the test covers every event type")
  }

  func testEveryCommandRoundTripsInEventsAndControlLines() throws {
    for c in Self.everyCommand {
      XCTAssertEqual(EventCoding.command(Substring(EventCoding.line(c))), c)
      let e = TrainerEvent.commandApplied(CommandRecord(step: 1, command: c, detail: "d"))
      XCTAssertEqual(EventCoding.decode(Substring(EventCoding.line(e))), e)
    }
  }

  func testLinesHaveTheDocumentedShape() throws {
    XCTAssertEqual(EventCoding.line(.commandApplied(CommandRecord(step: 7, command: .setProxy("params"), detail: "x"))),
                   #"{"type":"command","command":"set_proxy","detail":"x","proxy":"params","step":7}"#)
    XCTAssertEqual(EventCoding.line(.stop(save: true)), #"{"command":"stop","save":true}"#)
    XCTAssertEqual(EventCoding.line(.pause), #"{"command":"pause"}"#)

    let started = try object(EventCoding.line(Self.everyEvent[0]))
    XCTAssertEqual(started["schema"] as? Int, RunRecordSchema.current)
    XCTAssertEqual(started["time_unix"] as? Double, 1_764_480_000.5)
    XCTAssertEqual(Set(started.keys), ["type", "schema", "name", "space", "strategy", "proxy", "proxies", "epochs",
                                       "steps_per_epoch", "batch_size", "dataset", "start_step", "time_unix", "ranks",
                                       "precision", "precision_reason", "precision_fp32_ms", "precision_bf16_ms",
                                       "threads", "openmp"])
    XCTAssertEqual(started["precision_bf16_ms"] as? Double, 22.3)
    XCTAssertEqual(started["threads"] as? Int, 2)
    XCTAssertEqual(started["openmp"] as? String, "default (libgomp's default)")
    let path = try XCTUnwrap((step0Paths(try object(EventCoding.line(Self.everyEvent[1])))).first)
    XCTAssertEqual(Set(path.keys), ["role", "arch", "loss", "flops"])
    let step = try object(EventCoding.line(Self.everyEvent[1]))
    XCTAssertEqual(Set(step.keys), ["type", "step", "epoch", "lr", "loss", "paths", "rank_loss", "lambda", "grad_norm",
                                    "images_per_second", "elapsed_seconds"])
    XCTAssertEqual(step["grad_norm"] as? String, "inf", "non-finite numbers are strings")
    let epoch = try object(EventCoding.line(Self.everyEvent[5]))
    XCTAssertEqual(Set(epoch.keys), ["type", "epoch", "step", "mean_loss", "seconds", "resident_mib",
                                     "peak_resident_mib", "prior_seconds", "new_priors"])
    // No key of the new schema is camelCase (pandas columns and jq paths stay predictable).
    for e in Self.everyEvent {
      for k in try object(EventCoding.line(e)).keys {
        XCTAssertEqual(k, k.lowercased(), "\(k) in \(EventCoding.line(e))")
      }
    }
  }

  func testOptionalFieldsAreOmittedAndStillDecode() throws {
    let e = TrainerEvent.step(StepRecord(step: 1, epoch: 0, lr: 0.1, loss: 1, paths: [], rankLoss: nil, lambda: nil,
                                         gradNorm: 1, imagesPerSecond: 1, elapsed: 1))
    let line = EventCoding.line(e)
    XCTAssertNil(try object(line)["rank_loss"])
    XCTAssertEqual(EventCoding.decode(Substring(line)), e)
  }

  /// Lines written by rdnas 0.1.0 (Tests/RunEventsTests/Fixtures/legacy-0.1.0, made by that version's
  /// EventCoding) decode to the same values.
  func testLegacyMetricsFileDecodes() throws {
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("legacy-0.1.0/metrics.jsonl"), encoding: .utf8)
    let lines = text.split(separator: "\n")
    let events = lines.compactMap { EventCoding.decode($0) }
    XCTAssertEqual(events.count, lines.count, "every legacy line decodes")

    guard case .started(let run) = events[0] else { return XCTFail("\(events[0])") }
    XCTAssertEqual(run.schema, 1)
    XCTAssertEqual(run.time, 1_764_480_000.25)
    XCTAssertEqual(run.stepsPerEpoch, 3)
    XCTAssertEqual(run.batchSize, 32)
    guard case .step(let step) = events[2] else { return XCTFail("\(events[2])") }
    XCTAssertEqual(step.rankLoss, 0.1)
    XCTAssertEqual(step.gradNorm, 1.25)
    XCTAssertEqual(step.imagesPerSecond, 410.5)
    XCTAssertEqual(step.elapsed, 0.08)
    XCTAssertEqual(step.paths.count, 2)
    guard case .rankPair(let pair) = events[3] else { return XCTFail("\(events[3])") }
    XCTAssertEqual([pair.priorA, pair.priorB, pair.lossA, pair.lossB], [2.5e6, 1e5, 2.2, 2.1])

    let commands = events.compactMap { e -> TrainerCommand? in
      if case .commandApplied(let c) = e { return c.command } else { return nil }
    }
    XCTAssertEqual(commands, [.setProxy("params"), .pause, .resume, .checkpoint, .stop(save: true)])
    let epochs = events.compactMap { e -> EpochRecord? in if case .epochEnd(let r) = e { return r } else { return nil } }
    XCTAssertEqual(epochs.map(\.meanLoss), [2.45, 2.2])
    XCTAssertEqual(epochs[1].residentMiB, 120.5)
    XCTAssertEqual(epochs[1].newPriors, 2)
    let evals = events.compactMap { e -> EvaluationRecord? in if case .evaluation(let r) = e { return r } else { return nil } }
    XCTAssertEqual(evals[1].tauGroundTruthByLoss, 1)
    XCTAssertEqual(evals[1].losses, [2.0, 2.1])
    let checkpoints = events.compactMap { e -> CheckpointRecord? in if case .checkpoint(let r) = e { return r } else { return nil } }
    XCTAssertEqual(checkpoints.map(\.time), [1_764_480_001.5, 1_764_480_002.75])
    guard case .landmarks(let lm) = events[1] else { return XCTFail("\(events[1])") }
    XCTAssertEqual(lm.groundTruth, [0.91, 0.42])
    // Every type schema 1 had (`detached` came with schema 2; `search` is a search's events.jsonl line).
    XCTAssertEqual(Set(events.map { EventCoding.type(of: $0) }), Set(EventCoding.types).subtracting(["detached", "search"]),
                   "the fixture covers every type")
  }

  func testLegacyControlLinesDecode() throws {
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("legacy-0.1.0/control"), encoding: .utf8)
    XCTAssertEqual(text.split(separator: "\n").map { EventCoding.command($0) },
                   [.pause, .resume, .setProxy("params"), .checkpoint, .stop(save: false)])
  }

  func testGarbageAndUnknownLinesAreNil() {
    for s in ["", "{", "[]", "{\"type\":\"nope\"}", "{\"type\":\"step\"}", "{\"type\":\"command\",\"command\":\"fly\",\"step\":1,\"detail\":\"\"}"] {
      XCTAssertNil(EventCoding.decode(Substring(s)), s)
    }
    XCTAssertNil(EventCoding.command("{\"command\":\"set_proxy\"}"), "set_proxy needs its proxy")
  }
}
