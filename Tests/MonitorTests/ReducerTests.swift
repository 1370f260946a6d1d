import XCTest
import RunEvents
@testable import Monitor

final class ReducerTests: XCTestCase {
  func testSeriesStayBoundedOverALongRunAndKeepTheEnvelope() {
    var m = MonitorModel(seriesCapacity: 64, listCapacity: 10)
    m.apply(Fixture.run(epochs: 100, stepsPerEpoch: 1000))
    for i in 1...10_000 { m.apply(Fixture.step(i, loss: i == 5000 ? 99 : 1)) }
    let total = m.series[.total]!
    XCTAssertLessThanOrEqual(total.count, 64)
    XCTAssertGreaterThanOrEqual(total.count, 32, "merging halves, never empties")
    XCTAssertEqual(total.sampleCount, 10_000)
    XCTAssertEqual(total.points.map(\.hi).max(), 99, "a spike survives merging in the envelope")
    XCTAssertEqual(total.points.first!.lo, 1)
    XCTAssertEqual(total.latest, 1)
    XCTAssertEqual(total.points.last!.x, 10_000, accuracy: Double(total.stride))
    XCTAssertEqual(m.samples.count, 10, "list bounded")
    XCTAssertEqual(m.samples.newestFirst.first?.step, 10_000)
    XCTAssertEqual(m.series[.largest]!.latest, 0.5)
    XCTAssertEqual(m.series[.kd]!.latest, 0.25, "KD = mean of smallest/random")
  }

  func testBoundedSeriesMergesIntoUniformBuckets() {
    var s = BoundedSeries(capacity: 4)
    for i in 1...8 { s.append(x: Double(i), y: Double(i)) }
    XCTAssertEqual(s.stride, 4)
    XCTAssertEqual(s.points.map(\.y), [2.5, 6.5])
    XCTAssertEqual(s.points.map(\.lo), [1, 5])
    XCTAssertEqual(s.points.map(\.hi), [4, 8])
    s.append(x: 9, y: .nan)
    XCTAssertEqual(s.sampleCount, 9)
    XCTAssertEqual(s.count, 2, "non-finite values are not plotted")
  }

  func testConcordantFraction() {
    var m = MonitorModel()
    XCTAssertNil(m.concordantFraction)
    for i in 1...8 { m.apply(Fixture.pair(i, concordant: i <= 6)) }
    XCTAssertEqual(m.concordantFraction!, 0.75, accuracy: 1e-12)
    XCTAssertEqual(m.pairs.newestFirst.first?.step, 8)
    XCTAssertEqual(m.lambda, 0.5)
    XCTAssertEqual(m.proxy, "flops")
  }

  func testLandmarkDistancesAndOrdering() {
    var m = MonitorModel()
    m.apply(Fixture.step(1))  // recent archs known before the landmarks arrive
    m.apply(.landmarks(LandmarkSet(archs: ["1234", "1235", "9999"], groundTruth: [0.1, 0.9, 0.5], prior: [3, 1, 2],
                                   proxy: "flops")))
    XCTAssertEqual(m.landmarkDistances, [[0, 1, 4], [1, 0, 4], [4, 4, 0]])
    XCTAssertEqual(m.landmarkOrder(.prior), [0, 2, 1])
    XCTAssertEqual(m.landmarkOrder(.groundTruth), [1, 2, 0])
    XCTAssertEqual(m.orderedDistances(.prior), [[0, 4, 1], [4, 0, 4], [1, 4, 0]])
    XCTAssertEqual(m.recentDistances.count, 3)
    XCTAssertEqual(m.recentDistances.first?.distances.count, 3, "recomputed when landmarks arrive")
    XCTAssertEqual(m.recentDistances.first?.distances[0], 48 + 2, "length difference counts, plus 2 differing digits")
  }

  func testHammingOfNB201StringsComparesOps() {
    let a = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"
    let b = "|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|"
    XCTAssertEqual(ArchText.nb201Ops(a), [3, 3, 4, 1, 3, 1])
    XCTAssertEqual(ArchText.hamming(a, b), 2)
    XCTAssertEqual(ArchText.hamming("12345", "12045"), 1)
    XCTAssertNil(ArchText.nb201Ops("|bogus~0|"))
  }

  func testETAFromAverageSpeedSinceStart() {
    var m = MonitorModel()
    m.apply(Fixture.run(epochs: 10, stepsPerEpoch: 100, startStep: 200))
    XCTAssertNil(m.eta)
    m.apply(Fixture.step(300, elapsed: 50))  // 100 steps in 50 s → 2 steps/s, 700 left
    XCTAssertEqual(m.totalSteps, 1000)
    XCTAssertEqual(m.eta!, 350, accuracy: 1e-9)
    m.apply(.finished(FinishRecord(step: 300, seconds: 50, stopped: true)))
    XCTAssertEqual(m.eta, 0)
    XCTAssertTrue(m.isOver)
  }

  func testStatusEventsAndTau() {
    var m = MonitorModel()
    m.apply(Fixture.run())
    XCTAssertEqual(m.proxy, "flops")
    m.apply(.paused(PauseRecord(step: 3, paused: true)))
    XCTAssertTrue(m.paused)
    m.apply(.commandApplied(CommandRecord(step: 3, command: .setProxy("zen"), detail: "proxy zen")))
    XCTAssertEqual(m.proxy, "zen")
    XCTAssertEqual(m.lastCommand?.command, .setProxy("zen"))
    m.apply(.checkpoint(CheckpointRecord(step: 3, path: "runs/x/ck.safetensors", reason: "command", time: 5)))
    XCTAssertEqual(m.lastCheckpoint?.path, "runs/x/ck.safetensors")
    m.apply(.evaluation(EvaluationRecord(step: 3, epoch: 0, accuracies: [0.1], tauGroundTruth: nil, tauProxy: 0.4,
                                         tauPrevious: 0.8)))
    XCTAssertEqual(m.headlineTau?.value, 0.4, "proxy τ when no ground truth")
    XCTAssertEqual(m.tauProxy.latest, 0.4)
    XCTAssertTrue(m.tauGroundTruth.isEmpty)
    XCTAssertTrue(m.tauGroundTruthByLoss.isEmpty)
    m.apply(.evaluation(EvaluationRecord(step: 4, epoch: 0, accuracies: [0.1], tauGroundTruth: 0.2, tauProxy: nil,
                                         tauPrevious: nil, losses: [2.1], tauGroundTruthByLoss: 0.35)))
    XCTAssertEqual(m.headlineTau?.value, 0.2)
    XCTAssertEqual(m.tauGroundTruthByLoss.latest, 0.35)
    m.apply(.failed(FailureRecord(step: 4, message: "loss is NaN")))
    XCTAssertEqual(m.failure?.message, "loss is NaN")
    XCTAssertEqual(m.eventCount, 7)
  }

  /// A hang-up recorded in metrics.jsonl survives the JSON round trip and reaches the model of a re-attached monitor.
  func testDetachedEventRoundTripsAndIsShown() throws {
    let e = TrainerEvent.detached(DetachRecord(step: 42, reason: "SIGHUP", time: 1000))
    let line = EventCoding.line(e)
    XCTAssertTrue(line.hasPrefix("{\"type\":\"detached\""), line)
    XCTAssertEqual(EventCoding.decode(Substring(line)), e)
    var ui = MonitorUI()
    ui.apply(e, now: 0)
    XCTAssertEqual(ui.model.lastDetach?.step, 42)
    XCTAssertTrue(ui.view.flash?.text.contains("training went on headless") ?? false)
    XCTAssertFalse(ui.model.isOver, "a detached run is still running")
  }
}
