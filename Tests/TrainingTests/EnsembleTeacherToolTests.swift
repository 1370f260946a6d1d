import XCTest
import Foundation

/// tools/ensemble_teacher.py, the rank-pool teacher of round 12: ranks computed by hand.
final class EnsembleTeacherToolTests: XCTestCase {
  let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("tools/ensemble_teacher.py").path

  func runTool(_ args: [String]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", tool] + args
    p.standardOutput = FileHandle.nullDevice; p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
  }

  func testRankAverageOfTeacherAndSupernetOnThePool() throws {
    guard (try? runTool(["--help"])) == 0 else { throw XCTSkip("python3 with numpy is not available") }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ens-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // Teacher over a larger space (e is not in the pool); the pool's teacher ranks are a 1, b 2, c 3, d 4.
    try "arch,score\na,0.1\nb,0.2\nc,0.3\nd,0.4\ne,9\n".write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
    // −loss ranks: a 1, b 4, c and d tie for 2 and 3 (2.5 each).
    let pool = #"{"arch1": {"acc": 0.5, "arch": "a", "loss": 0.4}, "arch2": {"acc": 0.9, "arch": "b", "loss": 0.1},"#
      + #" "arch3": {"acc": 0.7, "arch": "c", "loss": 0.2}, "arch4": {"acc": 0.6, "arch": "d", "loss": 0.2}}"#
    try pool.write(toFile: dir + "/p.json", atomically: true, encoding: .utf8)
    XCTAssertEqual(try runTool([dir + "/t.csv", dir + "/p.json", dir + "/o.csv"]), 0)
    let rows = try String(contentsOfFile: dir + "/o.csv", encoding: .utf8).split(separator: "\n").dropFirst()
      .map { $0.split(separator: ",") }
    XCTAssertEqual(rows.map { String($0[0]) }, ["a", "b", "c", "d"])
    let teacherRanks: [Double] = [1, 2, 3, 4], ownRanks: [Double] = [1, 4, 2.5, 2.5]
    let expected = zip(teacherRanks, ownRanks).map { ($0 + $1) / 2 / 4 }
    for (row, e) in zip(rows, expected) { XCTAssertEqual(Double(row[1])!, e, accuracy: 1e-12) }
    // Accuracy as the supernet's score, and a teacher weight of 1 (the teacher's ranks alone).
    XCTAssertEqual(try runTool([dir + "/t.csv", dir + "/p.json", dir + "/o.csv", "--teacher-weight", "1"]), 0)
    let alone = try String(contentsOfFile: dir + "/o.csv", encoding: .utf8).split(separator: "\n").dropFirst()
      .map { Double($0.split(separator: ",")[1])! }
    XCTAssertEqual(alone, [0.25, 0.5, 0.75, 1.0])
    // A pool cell the teacher lacks: a non-zero exit, no output.
    try "arch,score\na,0.1\nb,0.2\nc,0.3\n".write(toFile: dir + "/t2.csv", atomically: true, encoding: .utf8)
    XCTAssertNotEqual(try runTool([dir + "/t2.csv", dir + "/p.json", dir + "/o2.csv"]), 0)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/o2.csv"))
  }
}
