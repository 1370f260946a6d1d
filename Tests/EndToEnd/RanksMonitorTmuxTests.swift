import XCTest
import Foundation
import Training

/// `rdnas train --ranks 2` in a real terminal: mpirun runs the ranks headless, the monitor follows their run
/// folder, a key reaches both ranks through the control file, and `q` → save stops the whole job.
final class RanksMonitorTmuxTests: XCTestCase {
  /// A fresh runs folder, or a skip where tmux, Fashion-MNIST or mpirun is missing.
  func runsFolder() throws -> String {
    guard TmuxSession.available else { throw XCTSkip("tmux is not installed") }
    guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist") else { throw XCTSkip("no Fashion-MNIST") }
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    guard paths.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/mpirun") }) else {
      throw XCTSkip("mpirun not installed")
    }
    return FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-ranks-\(UUID().uuidString)").path
  }

  /// A tiny, long-running 2-rank NB201 job launched with the monitor.
  func jobCommand(name: String, runs: String, extra: String = "") throws -> String {
    "cd \(repositoryRoot) && OMP_NUM_THREADS=1 OMPI_MCA_btl_vader_single_copy_mechanism=none "
      + "\(try rdnasBinary()) train --ranks 2 --name \(name) --runs-dir \(runs) --space nb201 --nb201-c 4 --nb201-n 1 "
      + "--strategy spos --paths 1 --train-limit 640 --validation-size 200 --batch-size 32 --epochs 5000 "
      + "--landmarks 6 --eval-images 64 --threads 1 \(extra)"
  }

  func testMonitorDrivesAnMPIJob() throws {
    let runs = try runsFolder()
    defer { try? FileManager.default.removeItem(atPath: runs) }
    let command = try jobCommand(name: "mpi", runs: runs, extra: "--proxy flops --pairs 1")
    let tmux = try XCTUnwrap(TmuxSession(width: 100, height: 30, command: command))
    defer { tmux.close() }
    XCTAssertTrue(tmux.waitFor { $0.contains("RUNNING") && $0.contains("step") }, tmux.screen())
    tmux.keys("g")
    // Confirmed by the job's events (the status bar may be showing the per-epoch checkpoint flash instead).
    let metrics = runs + "/mpi/metrics.jsonl"
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline,
          !((try? String(contentsOfFile: metrics, encoding: .utf8)) ?? "").contains("guidance proxy is now params") {
      Thread.sleep(forTimeInterval: 0.2)
    }
    tmux.keys("q")
    XCTAssertTrue(tmux.waitFor(10) { $0.lowercased().contains("save") }, tmux.screen())
    tmux.keys("y")
    XCTAssertTrue(tmux.waitFor(60) { $0.contains("EXIT=0") }, tmux.screen())
    let log = try String(contentsOfFile: runs + "/mpi/mpirun.log", encoding: .utf8)
    let text = try String(contentsOfFile: runs + "/mpi/metrics.jsonl", encoding: .utf8)
    let events = text.split(separator: "\n").compactMap { EventCoding.decode($0) }
    var switched: Int?, stopped: Int?
    for case .commandApplied(let c) in events {
      if c.command == .setProxy("params") { switched = c.step }
      if c.command == .stop(save: true) { stopped = c.step }
    }
    let s = try XCTUnwrap(switched), t = try XCTUnwrap(stopped)
    XCTAssertTrue(log.contains("rdnas: rank 1: step \(s): guidance proxy is now params"), log)
    XCTAssertTrue(log.contains("rdnas: rank 1: step \(t): stopping after saving"), log)
    XCTAssertNoThrow(try Checkpoint.load(path: runs + "/mpi/checkpoints/last.safetensors"))
    guard case .started(let info)? = events.first else { return XCTFail("no started event") }
    XCTAssertEqual(info.ranks, 2)
  }

  /// `q` → `l` leaves the job running: the launcher exits 0, the ranks keep appending steps, `rdnas monitor`
  /// re-attaches, and a stop sent through the control file ends the job with a checkpoint.
  func testLeavingTheJobRunningAndReattaching() throws {
    let runs = try runsFolder()
    defer { try? FileManager.default.removeItem(atPath: runs) }
    let folder = runs + "/left"
    let command = try jobCommand(name: "left", runs: runs)
    let tmux = try XCTUnwrap(TmuxSession(width: 100, height: 30, command: command))
    defer { tmux.close() }
    // Whatever happens below, the job must not outlive the test.
    defer { try? ControlChannel.send(.stop(save: false), runFolder: folder) }
    XCTAssertTrue(tmux.waitFor { $0.contains("RUNNING") && $0.contains("step") }, tmux.screen())
    tmux.keys("q")
    XCTAssertTrue(tmux.waitFor(10) { $0.contains("leave it running") }, tmux.screen())
    tmux.keys("l")
    XCTAssertTrue(tmux.waitFor(30) { $0.replacingOccurrences(of: "\n", with: "").contains("EXIT=0") }, tmux.screen())
    XCTAssertTrue(tmux.screen().contains("still training"), tmux.screen())
    let metrics = folder + "/metrics.jsonl"
    func text() -> String { (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? "" }
    func steps() -> Int { text().components(separatedBy: "\"type\":\"step\"").count - 1 }
    let before = steps()
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline, steps() <= before + 3 { Thread.sleep(forTimeInterval: 0.2) }
    XCTAssertGreaterThan(steps(), before + 3, "the ranks keep training after the launcher left")
    XCTAssertFalse(text().contains("\"type\":\"finished\""))
    let viewer = try XCTUnwrap(TmuxSession(width: 100, height: 30,
                                           command: "cd \(repositoryRoot) && \(try rdnasBinary()) monitor \(folder)"))
    defer { viewer.close() }
    XCTAssertTrue(viewer.waitFor { $0.contains("Loss curves") && $0.contains("RUNNING") }, viewer.screen())
    try ControlChannel.send(.stop(save: true), runFolder: folder)
    let end = Date().addingTimeInterval(60)
    while Date() < end, !text().contains("\"type\":\"finished\"") { Thread.sleep(forTimeInterval: 0.2) }
    XCTAssertTrue(text().contains("\"type\":\"finished\""), "the stop reached the left-running job")
    XCTAssertNoThrow(try Checkpoint.load(path: folder + "/checkpoints/last.safetensors"))
  }
}
