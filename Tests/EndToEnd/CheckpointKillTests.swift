import XCTest
import Foundation
import Training

/// `kill -9` at any moment, including in the middle of writing a checkpoint, leaves a checkpoint that loads
/// and a run that resumes from it: the trainer writes checkpoints to a temporary file and renames it.
final class CheckpointKillTests: XCTestCase {
  func testKillDuringCheckpointWritesLeavesTheLastCheckpointLoadable() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist") else { throw XCTSkip("no Fashion-MNIST") }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-kill-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let folder = RunFolder(path: dir + "/k")
    // A checkpoint after every step, so the trainer spends much of its time writing them.
    let args = ["train", "--headless", "--name", "k", "--runs-dir", dir, "--space", "nb201", "--nb201-c", "16",
                "--nb201-n", "1", "--strategy", "spos", "--paths", "1", "--train-limit", "6400", "--validation-size",
                "200", "--batch-size", "32", "--epochs", "3", "--threads", "1", "--precision", "fp32", "--checkpoint-every", "1",
                "--log-every", "50"]
    var generator = SystemRandomNumberGenerator()
    var lastStep = 0, kills = 0, midWrite = 0
    while kills < 10 {
      let resume = FileManager.default.fileExists(atPath: folder.lastCheckpointPath)
      let before = modificationTime(folder.lastCheckpointPath)
      let p = Process()
      p.executableURL = URL(fileURLWithPath: try rdnasBinary())
      p.arguments = args + (resume ? ["--resume"] : [])
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      // Wait for this process's first checkpoint. Then every other time kill it at a random moment of the
      // next few steps; otherwise kill it as soon as its next checkpoint's temporary file appears, a few
      // microseconds into the write (the window is milliseconds wide, so random moments rarely hit it).
      let deadline = Date().addingTimeInterval(120)
      while p.isRunning, modificationTime(folder.lastCheckpointPath) == before, Date() < deadline {
        usleep(2_000)
      }
      if kills % 2 == 0 {
        usleep(UInt32.random(in: 0..<400_000, using: &generator))
      } else {
        let tmp = folder.checkpointDirectory + "/.last.safetensors.tmp-\(p.processIdentifier)"
        while p.isRunning, !FileManager.default.fileExists(atPath: tmp), Date() < deadline { usleep(100) }
        usleep(UInt32.random(in: 0..<3_000, using: &generator))
      }
      guard p.isRunning else { break }  // finished before we got to it
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
      kills += 1
      let files = try FileManager.default.contentsOfDirectory(atPath: folder.checkpointDirectory)
      if files.contains(where: { $0.hasPrefix(".last.safetensors.tmp-") }) { midWrite += 1 }

      let loaded = try Checkpoint.load(path: folder.lastCheckpointPath)  // throws on a torn file
      let step = try XCTUnwrap(loaded.state?.step)
      XCTAssertGreaterThanOrEqual(step, lastStep, "checkpoints only move forward")
      lastStep = step
    }
    print("CheckpointKillTests: \(kills) kills, \(midWrite) in the middle of a checkpoint write, last step \(lastStep)")
    XCTAssertGreaterThan(kills, 0)
    XCTAssertGreaterThan(midWrite, 0, "no kill landed during a write: the test proved nothing")
    // The killed run resumes from its last checkpoint, and the abandoned temporary file is cleared.
    var config = try RunFolder.readConfig(runDirectory: folder.path)
    config.threads = 1
    let resumed = try Trainer(config: config, resume: true)
    XCTAssertEqual(resumed.state.step, lastStep)
    XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: folder.checkpointDirectory)
      .contains { $0.contains(".tmp-") })
  }

  func modificationTime(_ path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
  }
}
