import ArgumentParser
import Collective
import Common
import Foundation
import Monitor
import Training

/// `rdnas train --ranks N …`: under `mpirun` rank 0's stdout is a pipe, so the monitor cannot live in a
/// rank. This process starts `mpirun -np N rdnas train --headless …` as a child (its output goes to
/// `<run>/mpirun.log`) and opens the monitor on the run folder, as `rdnas monitor` would; keys reach the
/// ranks through the control file, and `q` asks to save and stop the whole job or to leave it running (so does a
/// hang-up: the job runs in a session of its own). With `--headless` it just runs the job in the foreground.
enum RankLauncher {
  static func run(ranks: Int, arguments: [String], runFolder: String, headless: Bool, ui: UIFlags) throws {
    guard ranks >= 1 else { throw RDNASError.badInput("--ranks must be at least 1") }
    guard !World.launchedByMPIRun else {
      throw RDNASError.badInput("--ranks starts mpirun itself; under mpirun, leave it out")
    }
    guard let mpirun = executableInPath("mpirun") else {
      throw RDNASError.badInput("--ranks needs mpirun (apt-get install openmpi-bin libopenmpi-dev)")
    }
    var mpiArgs = ["-np", "\(ranks)"]
    if getuid() == 0 { mpiArgs.append("--allow-run-as-root") }
    // mpirun counts physical cores as slots; a laptop or VM with hyper-threads would refuse N = CPUs. The
    // launcher is for one machine, where oversubscribing is the user's choice of N.
    mpiArgs.append("--oversubscribe")
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    mpiArgs += [exe] + childArguments(arguments)

    let job = Process()
    job.executableURL = URL(fileURLWithPath: mpirun)
    job.arguments = mpiArgs
    if headless {
      try job.run()
      job.waitUntilExit()
      if job.terminationStatus != 0 { throw ExitCode(job.terminationStatus) }
      return
    }
    _ = try ui.loadTheme()  // a bad theme fails before any rank starts
    // In a session of its own (setsid), so the job can outlive this terminal when the user leaves it running:
    // the terminal's hang-up and Ctrl-C then reach only this process, which forwards them through the
    // control file (a save-and-stop) unless the job was left running.
    if let setsid = executableInPath("setsid") {
      job.executableURL = URL(fileURLWithPath: setsid)
      job.arguments = ["--wait", mpirun] + mpiArgs  // --wait: its exit status is mpirun's
    }
    try FileManager.default.createDirectory(atPath: runFolder, withIntermediateDirectories: true)
    let logPath = runFolder + "/mpirun.log"
    if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    log.seekToEndOfFile()
    job.standardOutput = log
    job.standardError = log
    job.standardInput = FileHandle.nullDevice
    let metrics = runFolder + "/metrics.jsonl"
    let before = (try? FileManager.default.attributesOfItem(atPath: metrics)[.size] as? UInt64) ?? nil
    try job.run()
    // The monitor opens once rank 0 has started writing events (a resumed run appends to its log).
    while job.isRunning {
      let now = (try? FileManager.default.attributesOfItem(atPath: metrics)[.size] as? UInt64) ?? nil
      if let now, now != before { break }
      Thread.sleep(forTimeInterval: 0.1)
    }
    if !job.isRunning && job.terminationStatus != 0 {
      let tail = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5)
      FileHandle.standardError.write(Data((tail.joined(separator: "\n") + "\n").utf8))
      throw ExitCode(job.terminationStatus)
    }
    let queue = EventQueue()
    let tailer = FileTailer(runFolder: runFolder)
    let timer = tailer.follow(into: queue)
    defer { _ = timer }
    var options = UIOptions(ascii: ui.ascii, quitBehaviour: .stopTrainer)
    options.quitGrace = 120
    options.canLeaveRunning = true
    let app = MonitorApp(theme: try ui.loadTheme(), options: options)
    // A hang-up (a dropped SSH session) leaves the job training, as it does a single-process run: the UI lets
    // go of the dead terminal and this process ends; SIGINT/SIGTERM save and stop the job.
    let trap = SignalTrap(hangupDetaches: true) { _ in try? ControlChannel.send(.stop(save: true), runFolder: runFolder) }
    defer { trap.cancel() }
    let exit = try app.run(source: queue, onCommand: { c in try? ControlChannel.send(c, runFolder: runFolder) }, signals: trap)
    if exit == .hangup {
      detachStandardStreams()
      return
    }
    if exit == .leftRunning {
      print("run \(runFolder): \(ranks) ranks still training (job pid \(job.processIdentifier)); "
            + "`rdnas monitor \(runFolder)` re-attaches; its output goes to \(logPath)")
      return
    }
    if case .quit(let stopSent) = exit, !stopSent { try? ControlChannel.send(.stop(save: true), runFolder: runFolder) }
    job.waitUntilExit()
    print("run \(runFolder): \(ranks) ranks; mpirun exited with \(job.terminationStatus); its output is in \(logPath)")
    if job.terminationStatus != 0 { throw ExitCode(job.terminationStatus) }
  }

  /// The command line for the ranks: this one without `--ranks N`, always headless.
  static func childArguments(_ arguments: [String]) -> [String] {
    var out: [String] = []
    var skip = false
    for a in arguments {
      if skip { skip = false; continue }
      if a == "--ranks" { skip = true; continue }
      if a.hasPrefix("--ranks=") { continue }
      out.append(a)
    }
    if !out.contains("--headless") { out.append("--headless") }
    return out
  }

  static func executableInPath(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let p = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
  }
}
