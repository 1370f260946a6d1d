import XCTest
import Foundation
import Common
@testable import Training

/// The run folder's files without training: config.json errors, checkpoint cadence, per-epoch pruning.
final class RunFolderTests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-runfolder-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func configObject() throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: RunFolder.configJSON(TrainingConfig())) as! [String: Any]
  }

  func write(_ obj: Any) throws {
    try JSONSerialization.data(withJSONObject: obj).write(to: URL(fileURLWithPath: dir + "/config.json"))
  }

  func readError() -> String {
    do {
      _ = try RunFolder.readConfig(runDirectory: dir)
      XCTFail("config read")
      return ""
    } catch {
      let (message, code) = ErrorReport.describe(error)
      XCTAssertEqual(code, 2)
      XCTAssertFalse(message.contains("\n"), message)
      XCTAssertTrue(message.hasPrefix(dir + "/config.json: "), message)
      return message
    }
  }

  func testMalformedConfigNamesFileAndKey() throws {
    var obj = try configObject()
    try write(obj)
    XCTAssertEqual(try RunFolder.readConfig(runDirectory: dir), TrainingConfig(), "a written config reads back")

    obj["batchSize"] = "64"
    try write(obj)
    XCTAssertTrue(readError().contains("key 'batchSize': expected an integer"))

    obj = try configObject()
    obj["space"] = nil
    try write(obj)
    XCTAssertTrue(readError().hasSuffix("missing key 'space'"))

    obj = try configObject()
    var rank = obj["rank"] as! [String: Any]
    rank["lambda"] = "sometimes"
    obj["rank"] = rank
    try write(obj)
    let m = readError()
    XCTAssertTrue(m.contains("key 'rank.lambda'") && m.contains("sometimes"), m)

    obj = try configObject()
    obj["checkpointEvery"] = "often"
    try write(obj)
    XCTAssertTrue(readError().contains("key 'checkpointEvery': 'often' is not a checkpoint cadence"))

    try Data("{\"name\": ".utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
    XCTAssertTrue(readError().contains("not valid JSON"))
  }

  /// config.json files written before checkpointEvery/keepCheckpoints existed still read.
  func testConfigWithoutNewerKeysReads() throws {
    var obj = try configObject()
    obj["checkpointEvery"] = nil
    obj["keepCheckpoints"] = nil
    try write(obj)
    let c = try RunFolder.readConfig(runDirectory: dir)
    XCTAssertNil(c.checkpointEvery)
    XCTAssertNil(c.keepCheckpoints)
  }

  func testCheckpointCadenceParsesPrintsAndCodes() throws {
    XCTAssertEqual(try CheckpointCadence(parsing: "500"), .steps(500))
    XCTAssertEqual(try CheckpointCadence(parsing: "10m"), .minutes(10))
    XCTAssertEqual(try CheckpointCadence(parsing: "90s"), .minutes(1.5))
    XCTAssertEqual(try CheckpointCadence(parsing: "2h"), .minutes(120))
    XCTAssertEqual(try CheckpointCadence(parsing: "off"), .off)
    for bad in ["", "-5", "10x", "m", "0m", "1e999m"] {
      XCTAssertThrowsError(try CheckpointCadence(parsing: bad), bad) { XCTAssertTrue("\($0)".contains("--checkpoint-every")) }
    }
    for c: CheckpointCadence in [.steps(500), .minutes(10), .minutes(1.5), .off] {
      XCTAssertEqual(try CheckpointCadence(parsing: c.description), c)
      let data = try JSONEncoder().encode([c])
      XCTAssertEqual(try JSONDecoder().decode([CheckpointCadence].self, from: data), [c])
    }
  }

  func testCadenceClockCountsFromTheLastCheckpoint() {
    let t0 = Date(timeIntervalSince1970: 1000)
    var steps = CheckpointCadence.Clock(.steps(3), step: 10, now: t0)
    XCTAssertNil(steps.due(step: 12, now: t0))
    XCTAssertEqual(steps.due(step: 13, now: t0), "steps")
    steps.written(step: 13, now: t0)
    XCTAssertNil(steps.due(step: 15, now: t0))
    var time = CheckpointCadence.Clock(.minutes(10), step: 0, now: t0)
    XCTAssertNil(time.due(step: 1000, now: t0.addingTimeInterval(599)))
    XCTAssertEqual(time.due(step: 1001, now: t0.addingTimeInterval(600)), "minutes")
    time.written(step: 1001, now: t0.addingTimeInterval(600))
    XCTAssertNil(time.due(step: 1002, now: t0.addingTimeInterval(601)))
    XCTAssertNil(CheckpointCadence.Clock(.off, step: 0, now: t0).due(step: 1 << 30, now: .distantFuture))
  }

  /// A full disk while appending an event: no half line is left to corrupt the next one, the failure is
  /// counted, and appending goes on once there is room again. (The file-size limit stands in for the disk.)
  func testFailedAppendLeavesOnlyCompleteLines() throws {
    let folder = RunFolder(path: dir + "/run")
    try folder.create(config: TrainingConfig(), resuming: false)
    defer { folder.close() }
    let small = TrainerEvent.paused(PauseRecord(step: 1, paused: true))
    let big = TrainerEvent.failed(FailureRecord(step: 2, message: String(repeating: "x", count: 8192)))
    folder.append(small)
    let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: folder.metricsPath)[.size] as? Int)

    var old = rlimit()
    getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
    let oldHandler = signal(SIGXFSZ, SIG_IGN)
    var limit = old
    limit.rlim_cur = rlim_t(size + 4096)  // room for part of the big line only
    XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit), 0)
    folder.append(big)
    setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
    signal(SIGXFSZ, oldHandler)

    let failures = try XCTUnwrap(folder.appendFailures)
    XCTAssertEqual(failures.count, 1)
    XCTAssertFalse(failures.reason.isEmpty)
    folder.append(small)
    let lines = try String(contentsOfFile: folder.metricsPath, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.map { EventCoding.decode($0) }, [small, small], "only complete lines, none lost but the big one")
  }

  func testPruningKeepsTheNewestEpochFilesAndLast() throws {
    let folder = RunFolder(path: dir)
    try FileManager.default.createDirectory(atPath: folder.checkpointDirectory, withIntermediateDirectories: true)
    for e in [0, 1, 2, 9, 10] { try Data([1]).write(to: URL(fileURLWithPath: folder.epochCheckpointPath(e))) }
    try Data([1]).write(to: URL(fileURLWithPath: folder.lastCheckpointPath))
    folder.pruneEpochCheckpoints(keep: 2)
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.checkpointDirectory).sorted(),
                   ["epoch-009.safetensors", "epoch-010.safetensors", "last.safetensors"])
  }
}
