import XCTest
import Foundation

/// A run folder written by rdnas 0.1.0 (metrics.jsonl schema 1) opens in `rdnas monitor` in a real terminal.
final class LegacyRunTmuxTests: XCTestCase {
  func testMonitorOpensALegacyRunFolder() throws {
    guard TmuxSession.available else { throw XCTSkip("tmux is not installed") }
    // A copy: the monitor may append to the folder's control file.
    let fixture = repositoryRoot + "/Tests/RunEventsTests/Fixtures/legacy-0.1.0"
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-legacy-\(UUID().uuidString)").path
    try FileManager.default.copyItem(atPath: fixture, toPath: dir)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let tmux = try XCTUnwrap(TmuxSession(width: 100, height: 30,
                                         command: "cd \(repositoryRoot) && \(try rdnasBinary()) monitor \(dir)"))
    defer { tmux.close() }
    // The run's name, its proxy after the logged set_proxy command, and its loss curves are on screen.
    XCTAssertTrue(tmux.waitFor(30) { $0.contains("legacy-run") && $0.contains("params") && $0.contains("Loss curves") },
                  tmux.screen())
    tmux.keys("q")
    XCTAssertTrue(tmux.waitFor(10) { $0.contains("EXIT=0") }, tmux.screen())
  }
}
