import XCTest
import RunEvents
@testable import Monitor

final class FileTailerTests: XCTestCase {
  func testPartialLastLineWaitsForItsNewline() throws {
    let dir = Fixture.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("metrics.jsonl")
    let tailer = FileTailer(runFolder: dir.path)
    XCTAssertEqual(try tailer.poll(), [], "no file yet")

    let first = EventCoding.line(Fixture.run())
    let second = EventCoding.line(Fixture.step(1))
    let cut = second.index(second.startIndex, offsetBy: second.count / 2)
    try (first + "\n" + String(second[..<cut])).write(to: file, atomically: false, encoding: .utf8)
    XCTAssertEqual(try tailer.poll(), [Fixture.run()], "the complete line only")

    let h = try FileHandle(forWritingTo: file)
    try h.seekToEnd()
    try h.write(contentsOf: Data((String(second[cut...]) + "\n").utf8))
    try h.close()
    XCTAssertEqual(try tailer.poll(), [Fixture.step(1)], "the second half completes the line")
    XCTAssertEqual(try tailer.poll(), [])
    XCTAssertEqual(tailer.skippedLines, 0)
  }

  /// A run folder written by rdnas 0.1.0 (schema 1, before the documented format) still replays.
  func testLegacyRunFolderReplays() throws {
    let folder = Fixture.repoRoot.appendingPathComponent("Tests/RunEventsTests/Fixtures/legacy-0.1.0").path
    let tailer = FileTailer(runFolder: folder)
    let events = try tailer.poll()
    XCTAssertEqual(tailer.skippedLines, 0)
    XCTAssertEqual(events.count, 21)
    var ui = MonitorUI()
    for e in events { ui.apply(e, now: 0) }
    XCTAssertEqual(ui.model.run?.name, "legacy-run")
    XCTAssertEqual(ui.model.proxy, "params", "the schema-1 set_proxy command was applied")
    XCTAssertEqual(ui.model.finished?.stopped, true)
    XCTAssertTrue(Fixture.render(ui, width: 120, height: 40).renderText().contains("legacy-run"))
  }

  func testGarbageLinesAreSkippedAndTruncationRestarts() throws {
    let dir = Fixture.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("metrics.jsonl")
    let run = EventCoding.line(Fixture.run())
    try "not json\n\n{\"type\":\"mystery\"}\n\(run)\n".write(to: file, atomically: false, encoding: .utf8)
    let t = FileTailer(file: file.path)
    XCTAssertEqual(try t.poll(), [Fixture.run()])
    XCTAssertEqual(t.skippedLines, 2)
    try "\(run)\n".write(to: file, atomically: false, encoding: .utf8)  // shorter: rewritten
    XCTAssertEqual(try t.poll(), [Fixture.run()])
  }

  func testFollowPushesIntoTheQueue() throws {
    let dir = Fixture.tempDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("metrics.jsonl")
    let lines = (1...50).map { EventCoding.line(Fixture.step($0)) }.joined(separator: "\n") + "\n"
    try lines.write(to: file, atomically: false, encoding: .utf8)
    let q = EventQueue()
    let timer = FileTailer(runFolder: dir.path).follow(into: q, interval: 0.02)
    defer { timer.cancel() }
    var got = [TrainerEvent]()
    let deadline = Date().addingTimeInterval(5)
    while got.count < 50, Date() < deadline { got += q.drain(); Thread.sleep(forTimeInterval: 0.01) }
    XCTAssertEqual(got.count, 50)
    XCTAssertEqual(got.last, Fixture.step(50))
  }

  func testEventQueueIsSafeAcrossThreadsAndBounded() {
    let q = EventQueue(limit: 100)
    DispatchQueue.concurrentPerform(iterations: 4) { _ in for i in 0..<50 { q.push(Fixture.step(i)) } }
    q.push(Fixture.run())  // run-level events are never dropped
    let got = q.drain()
    XCTAssertEqual(got.count, 101)
    XCTAssertEqual(q.droppedCount, 100)
    XCTAssertEqual(got.last, Fixture.run())
    XCTAssertEqual(q.drain(), [])
  }
}
