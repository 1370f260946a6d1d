import XCTest
import Foundation
import Common
@testable import Engine

/// Engine failures a user can meet at 3 a.m.: a full disk during a checkpoint write, a checkpoint that does
/// not fit the model, a bf16 run resumed where bf16 is unavailable.
final class FailureReportTests: XCTestCase {
  func tempDir() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-fail-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
  }

  func assertWriteFailsKeepingPrevious(dir: String, size: Int, file: StaticString = #filePath, line: UInt = #line) {
    let path = dir + "/last.safetensors"
    let previous = Data(repeating: 7, count: 1000)
    XCTAssertNoThrow(try AtomicFile.write(previous, to: path), file: file, line: line)
    XCTAssertThrowsError(try AtomicFile.write(Data(repeating: 1, count: size), to: path), file: file, line: line) { e in
      let (message, code) = ErrorReport.describe(e)
      XCTAssertEqual(code, 1, file: file, line: line)
      XCTAssertTrue(message.contains(path) && message.contains("previous file is unchanged"), message, file: file, line: line)
    }
    XCTAssertEqual(FileManager.default.contents(atPath: path), previous, "nothing already written is lost", file: file, line: line)
    let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { $0.contains(".tmp-") } ?? ["?"]
    XCTAssertEqual(leftovers, [], "the partial temporary file is removed", file: file, line: line)
  }

  /// A write that hits a file-size limit fails like a full disk (EFBIG instead of ENOSPC) without needing root.
  func testFailedWriteKeepsThePreviousFile() throws {
    let dir = tempDir()
    var old = rlimit()
    getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
    let oldHandler = signal(SIGXFSZ, SIG_IGN)  // the write then fails with EFBIG instead of killing us
    var limit = old
    limit.rlim_cur = 64 * 1024
    XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit), 0)
    defer {
      setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
      signal(SIGXFSZ, oldHandler)
    }
    assertWriteFailsKeepingPrevious(dir: dir, size: 1 << 20)
  }

  /// A real full disk: a 256 KiB tmpfs (needs root to mount; skipped otherwise).
  func testFullDiskKeepsThePreviousFile() throws {
    let dir = tempDir()
    let mount = Process()
    mount.executableURL = URL(fileURLWithPath: "/bin/mount")
    mount.arguments = ["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir]
    mount.standardError = FileHandle.nullDevice
    guard (try? mount.run()) != nil else { throw XCTSkip("cannot run mount") }
    mount.waitUntilExit()
    guard mount.terminationStatus == 0 else { throw XCTSkip("cannot mount a tmpfs here (not root)") }
    defer {
      let u = Process()
      u.executableURL = URL(fileURLWithPath: "/bin/umount")
      u.arguments = [dir]
      try? u.run()
      u.waitUntilExit()
    }
    assertWriteFailsKeepingPrevious(dir: dir, size: 1 << 20)
  }

  func testMismatchedOptimizerStateIsBadInput() {
    let error = EngineError.mismatch("momentum buffer conv.weight does not match the model")
    XCTAssertEqual(ErrorReport.describe(error).exitCode, 2)
    XCTAssertEqual(ErrorReport.describe(error).message, "momentum buffer conv.weight does not match the model")
  }

  func testResumingABF16RunWithoutBF16SaysSo() throws {
    let warning = try XCTUnwrap(Precision.resumeWarning(trainedIn: .bf16, hardware: false))
    XCTAssertTrue(warning.contains("trained in bf16") && warning.contains("fp32"), warning)
    XCTAssertNil(Precision.resumeWarning(trainedIn: .bf16, hardware: true))
    XCTAssertNil(Precision.resumeWarning(trainedIn: .fp32, hardware: false))
    XCTAssertNil(Precision.resumeWarning(trainedIn: nil, hardware: false))
  }
}
