import XCTest
import Foundation

/// `rdnas search` watched live: in a real terminal (tmux) the monitor draws the search, `p` holds it between
/// candidates, `q` stops it with its state saved; `rdnas monitor` re-opens the search folder; headless, a
/// `stop` through the search folder's control file ends it cleanly and the same command resumes it.
final class SearchMonitorTests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist") else { throw XCTSkip("no Fashion-MNIST") }
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-searchmon-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func events(_ folder: String) -> [[String: Any]] {
    ((try? String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8)) ?? "").split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  func count(_ kind: String, _ folder: String) -> Int { events(folder).filter { $0["event"] as? String == kind }.count }

  func wait(_ timeout: Double, _ predicate: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end { if predicate() { return true }; Thread.sleep(forTimeInterval: 0.1) }
    return false
  }

  /// A tiny trained NB201 supernet, and a search over it long enough to be interrupted.
  func trainedRun() throws -> (run: String, search: [String]) {
    let (s, out) = try runRDNAS(["train", "--headless", "--name", "sup", "--runs-dir", dir, "--strategy", "spos",
                                 "--paths", "1", "--space", "nb201", "--nb201-c", "4", "--nb201-n", "1",
                                 "--train-limit", "256", "--validation-size", "100", "--batch-size", "32",
                                 "--epochs", "1", "--threads", "1", "--precision", "fp32"])
    XCTAssertEqual(s, 0, out)
    let run = dir + "/sup"
    return (run, ["search", "--run", run, "--generations", "2000", "--population", "4", "--parents", "2", "--images", "64",
                  "--bn-recalibrate", "1", "--batch-size", "64", "--threads", "1", "--precision", "fp32"])
  }

  func testLiveSearchPausesStopsAndReattaches() throws {
    guard TmuxSession.available else { throw XCTSkip("tmux is not installed") }
    let (run, search) = try trainedRun()
    let folder = run + "/search/evolution"
    let bin = try rdnasBinary()
    let tmux = try XCTUnwrap(TmuxSession(width: 110, height: 32,
                                         command: "cd \(repositoryRoot) && \(bin) \(search.joined(separator: " "))"))
    defer { tmux.close() }
    XCTAssertTrue(tmux.waitFor(60) { $0.contains("Pareto: MFLOPs") && $0.contains("Best so far") && $0.contains(" evaluated") },
                  tmux.screen())
    XCTAssertTrue(wait(30) { count("generation", folder) >= 1 }, "a generation completes")
    // p: the search holds between candidates (nothing more is scored) until p again.
    tmux.keys("p")
    XCTAssertTrue(tmux.waitFor(20) { $0.contains("PAUSED") }, tmux.screen())
    XCTAssertEqual(events(folder).last?["event"] as? String, "paused")
    let held = count("scored", folder)
    Thread.sleep(forTimeInterval: 1.5)
    XCTAssertEqual(count("scored", folder), held, "nothing is scored while paused")
    tmux.keys("p")
    XCTAssertTrue(wait(20) { count("scored", folder) > held }, "scoring resumes")
    // q: stops after the candidate being scored, with everything saved.
    tmux.keys("q")
    XCTAssertTrue(tmux.waitFor(30) { $0.contains("EXIT=0") }, tmux.screen())
    let last = try XCTUnwrap(events(folder).last)
    XCTAssertEqual(last["event"] as? String, "finished")
    XCTAssertEqual(last["stopped"] as? Bool, true)
    let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/state.json"))) as! [String: Any]
    let evaluated = (state["evaluated"] as! [Any]).count + ((state["pending"] as? [Any])?.count ?? 0)
    XCTAssertEqual(evaluated, count("scored", folder), "every scored candidate is in the saved state")

    // The search folder re-opens in `rdnas monitor` (a replay now), and q detaches.
    let viewer = try XCTUnwrap(TmuxSession(width: 100, height: 30, command: "cd \(repositoryRoot) && \(bin) monitor \(folder)"))
    defer { viewer.close() }
    XCTAssertTrue(viewer.waitFor(30) { $0.contains("Best so far") && $0.contains("STOPPED") }, viewer.screen())
    viewer.keys("q")
    XCTAssertTrue(viewer.waitFor(10) { $0.contains("EXIT=0") }, viewer.screen())
  }

  func testHeadlessSearchStopsThroughItsControlFileAndResumes() throws {
    let (run, search) = try trainedRun()
    let folder = run + "/search/evolution"
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try rdnasBinary())
    p.arguments = search + ["--headless"]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    XCTAssertTrue(wait(60) { count("generation", folder) >= 1 }, "a generation completes")
    let line = #"{"command":"stop","save":true}"# + "\n"
    let h = try XCTUnwrap(FileHandle(forWritingAtPath: folder + "/control") ?? {
      FileManager.default.createFile(atPath: folder + "/control", contents: nil)
      return FileHandle(forWritingAtPath: folder + "/control")
    }())
    h.seekToEndOfFile()
    h.write(Data(line.utf8))
    try h.close()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 0, text)
    XCTAssertTrue(text.contains("search stopped after"), text)
    XCTAssertEqual(events(folder).last?["stopped"] as? Bool, true)
    let generations = count("generation", folder)
    XCTAssertLessThan(generations, 2000)
    // The same command with fewer generations to go: resumed, not restarted, and no code scored twice.
    let (s, again) = try runRDNAS(search.map { $0 == "2000" ? "\(generations + 1)" : $0 } + ["--headless"])
    XCTAssertEqual(s, 0, again)
    XCTAssertTrue(again.contains("resuming"), again)
    let codes = events(folder).filter { $0["event"] as? String == "candidate" }.map { $0["arch"] as! String }
    XCTAssertEqual(Set(codes).count, codes.count, "an architecture was scored twice")
    XCTAssertEqual(count("generation", folder), generations + 1)
  }
}
