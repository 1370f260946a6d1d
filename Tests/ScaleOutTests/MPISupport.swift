import Foundation
import XCTest

/// Runs the real `rdnas` binary (or this test bundle) under `mpirun` the way CI does: as root too, more
/// ranks than cores allowed, one oneDNN/OpenMP thread per rank (ranks busy-wait; on 2 cores more would fight).
enum MPI {
  static func mpirun() throws -> String {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
      let p = "\(dir)/mpirun"
      if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    throw XCTSkip("mpirun not installed (apt-get install openmpi-bin libopenmpi-dev; `make deps` does it)")
  }

  /// The `rdnas` executable next to the test bundle (SwiftPM builds it with the tests).
  static func rdnas() throws -> String {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for c in [dir.appendingPathComponent("rdnas"), dir.deletingLastPathComponent().appendingPathComponent("rdnas")] {
      if FileManager.default.isExecutableFile(atPath: c.path) { return c.path }
    }
    throw XCTSkip("rdnas binary not found next to \(dir.path)")
  }

  static var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["OMP_NUM_THREADS"] = "1"
    // A test process may itself run under mpirun (the worker tests): its children must start a fresh job.
    for k in env.keys where k.hasPrefix("OMPI_") || k.hasPrefix("PMIX_") { env[k] = nil }
    // In containers without ptrace rights, shared memory's single-copy (CMA) transfers fail; plain copies
    // work everywhere.
    env["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
    return env
  }

  /// A started process whose stdout+stderr go to a file (no pipe to fill up while the test polls).
  final class Job {
    let process = Process()
    let logPath: String

    init(_ executable: String, _ args: [String], extraEnvironment: [String: String] = [:]) throws {
      logPath = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-mpi-\(UUID().uuidString).log").path
      FileManager.default.createFile(atPath: logPath, contents: nil)
      let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = args
      process.environment = MPI.environment.merging(extraEnvironment) { _, b in b }
      process.standardOutput = log
      process.standardError = log
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }

    /// Waits for the end (killing the job after `timeout` seconds); returns exit status and output.
    func finish(timeout: Double = 90) -> (status: Int32, output: String) {
      let deadline = Date().addingTimeInterval(timeout)
      while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
      if process.isRunning { process.terminate(); process.waitUntilExit() }
      let out = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
      try? FileManager.default.removeItem(atPath: logPath)
      return (process.terminationStatus, out)
    }
  }

  /// `mpirun -np ranks rdnas args…` (ranks 0: `rdnas args…` directly, no MPI at all).
  static func rdnasJob(ranks: Int, _ args: [String]) throws -> Job {
    let bin = try rdnas()
    if ranks == 0 { return try Job(bin, args) }
    return try Job(try mpirun(), ["--allow-run-as-root", "--oversubscribe", "-np", "\(ranks)", bin] + args)
  }

  static func run(ranks: Int, _ args: [String], timeout: Double = 90) throws -> (status: Int32, output: String) {
    try rdnasJob(ranks: ranks, args).finish(timeout: timeout)
  }

  /// Polls `condition` every 50 ms for up to `timeout` seconds.
  static func wait(timeout: Double = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return false
  }
}
