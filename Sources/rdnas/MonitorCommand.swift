import ArgumentParser
import Common
import Dispatch
import Foundation
import Monitor
import Ranking
import Training

/// How the UI looks; shared by `train` and `monitor`.
struct UIFlags: ParsableArguments {
  @Option(help: "Theme name (themes/<name>.toml): default, light, mono, solarized, high-contrast.") var theme: String?
  @Flag(help: "Monochrome UI (also when NO_COLOR is set).") var noColor = false
  @Flag(help: "Plain ASCII glyphs instead of Unicode blocks and braille.") var ascii = false
  @Flag(help: "No mouse reporting (keeps the terminal's own text selection).") var noMouse = false
  @Option(help: "Most screen updates per second for new training data (keys always redraw at once; lists refresh every 3 s while data streams).") var fps = 2.0

  func loadTheme() throws -> Theme {
    guard fps > 0, fps.isFinite else { throw RDNASError.badInput("--fps must be positive, not \(fps)") }
    let exe = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    return try ThemeLoader.resolve(name: theme, noColor: noColor,
                                   searchPath: ThemeLoader.defaultSearchPath(executable: exe))
  }
}

/// `rdnas train` with the monitor: the trainer runs on a background queue and feeds the UI's event queue;
/// keys become trainer commands; SIGINT/SIGTERM save a checkpoint before the process exits. A hang-up (the
/// terminal or SSH connection went away) with `.continue` lets go of the terminal and trains on headless: events
/// still go to the run folder and the control file is still read, so `rdnas monitor` can re-attach.
func runWithMonitor(_ trainer: Trainer, ui: UIFlags, onHangup: HangupPolicy) throws {
  let theme = try ui.loadTheme()
  let queue = EventQueue()
  trainer.addSink { queue.push($0) }
  let done = DispatchGroup()
  let failure = FailureBox()
  // Trap signals before the trainer starts and keep the trap after the UI ends (no window without it).
  let trap = SignalTrap(hangupDetaches: onHangup == .continue) { _ in
    trainer.commands.send(.stop(save: true))
    _ = done.wait(timeout: .now() + 300)
  }
  defer { trap.cancel() }
  done.enter()
  DispatchQueue(label: "rdnas.trainer", qos: .userInitiated).async {
    do { try trainer.run() } catch { failure.set(error) }
    done.leave()
  }
  var options = UIOptions(ascii: ui.ascii, quitBehaviour: .stopTrainer)
  options.quitGrace = 120
  options.mouse = !ui.noMouse
  let app = MonitorApp(theme: theme, options: options, framesPerSecond: ui.fps)
  let exit: MonitorExit
  do {
    exit = try app.run(source: queue, onCommand: { trainer.commands.send($0) }, signals: trap)
  } catch {
    // The terminal could not be opened: stop the trainer we already started, then report.
    trainer.commands.send(.stop(save: false))
    done.wait()
    throw error
  }
  if ProcessInfo.processInfo.environment["RDNAS_MONITOR_STATS"] != nil {
    let st = app.renderStats
    let cells = app.changedCells.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    FileHandle.standardError.write(Data("monitor: \(st.frames) frames, \(String(format: "%.3f", st.seconds)) s drawing, \(st.keys) keys; changed cells: \(cells)\n".utf8))
  }
  switch exit {
  case .signal(let name):
    FileHandle.standardError.write(Data("rdnas: \(name): checkpoint saved in \(trainer.folder.lastCheckpointPath)\n".utf8))
  case .leftRunning:  // not offered here: this process is the trainer (canLeaveRunning is off)
    trainer.commands.send(.stop(save: true))
    done.wait()
  case .quit(let stopSent):
    if !stopSent { trainer.commands.send(.stop(save: true)) }
    done.wait()
    print("run \(trainer.config.name): \(trainer.state.step) steps; checkpoint \(trainer.folder.lastCheckpointPath)")
  case .hangup:
    // Like nohup: nothing may write to the dead terminal (or block on it) from here on.
    detachStandardStreams()
    trainer.folder.append(.detached(DetachRecord(step: app.ui.model.step, reason: "SIGHUP",
                                                 time: Date().timeIntervalSince1970)))
    done.wait()  // SIGINT/SIGTERM still reach the trap: save and stop
  }
  if let e = failure.get() { throw e }
}

/// Points standard input, output and error at /dev/null (after a hang-up the terminal is gone).
func detachStandardStreams() {
  fflush(nil)
  let null = open("/dev/null", O_RDWR)
  guard null >= 0 else { return }
  for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] { dup2(null, fd) }
  if null > STDERR_FILENO { close(null) }
}

final class FailureBox: @unchecked Sendable {
  private var error: Error?
  private let lock = NSLock()
  func set(_ e: Error) { lock.lock(); error = e; lock.unlock() }
  func get() -> Error? { lock.lock(); defer { lock.unlock() }; return error }
}

struct MonitorRun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "monitor",
    abstract: "Open the monitor on a run folder: follow a running trainer or replay a finished run.",
    usage: "rdnas monitor runs/rd\n  rdnas monitor runs/rd/search/evolution",
    discussion: "Pause, proxy switches and checkpoints reach a running (headless) trainer through <run>/control, "
      + "pause and stop a running search through <search folder>/control. q detaches.")

  @Argument(help: "Run folder (runs/<name>), or a search folder (runs/<name>/search/<search>).") var runFolder: String
  @OptionGroup var ui: UIFlags

  func run() throws {
    try runReportingErrors {
      let fm = FileManager.default
      let log = fm.fileExists(atPath: runFolder + "/metrics.jsonl") ? runFolder + "/metrics.jsonl"
        : fm.fileExists(atPath: SearchFolder(path: runFolder).eventsPath) ? SearchFolder(path: runFolder).eventsPath : nil
      guard let log else {
        throw RDNASError.badInput("\(runFolder) is neither a run folder (no metrics.jsonl) nor a search folder (no events.jsonl)")
      }
      let theme = try ui.loadTheme()
      let queue = EventQueue()
      let tailer = FileTailer(file: log)
      let timer = tailer.follow(into: queue)
      defer { _ = timer }
      var options = UIOptions(ascii: ui.ascii, quitBehaviour: .detach)
      options.mouse = !ui.noMouse
      let app = MonitorApp(theme: theme, options: options, framesPerSecond: ui.fps)
      let folder = runFolder
      // A hang-up just ends this viewer (quietly: its terminal is gone); the trainer is another process.
      let trap = SignalTrap(hangupDetaches: true) { _ in }
      defer { trap.cancel() }
      _ = try app.run(source: queue, onCommand: { c in try? ControlChannel.send(c, runFolder: folder) }, signals: trap)
    }
  }
}
