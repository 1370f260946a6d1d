import ArgumentParser
import Common
import Dispatch
import Foundation
import Monitor
import Training

/// How the UI looks; shared by `train` and `monitor`.
struct UIFlags: ParsableArguments {
  @Option(help: "Theme name (themes/<name>.toml): default, light, mono, solarized, high-contrast.") var theme: String?
  @Flag(help: "Monochrome UI (also when NO_COLOR is set).") var noColor = false
  @Flag(help: "Plain ASCII glyphs instead of Unicode blocks and braille.") var ascii = false

  func loadTheme() throws -> Theme {
    let exe = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    return try ThemeLoader.resolve(name: theme, noColor: noColor,
                                   searchPath: ThemeLoader.defaultSearchPath(executable: exe))
  }
}

/// `rdnas train` with the monitor: the trainer runs on a background queue and feeds the UI's event queue;
/// keys become trainer commands; a signal saves a checkpoint before the process exits.
func runWithMonitor(_ trainer: Trainer, ui: UIFlags) throws {
  let theme = try ui.loadTheme()
  let queue = EventQueue()
  trainer.addSink { queue.push($0) }
  let done = DispatchGroup()
  let failure = FailureBox()
  done.enter()
  DispatchQueue(label: "rdnas.trainer", qos: .userInitiated).async {
    do { try trainer.run() } catch { failure.set(error) }
    done.leave()
  }
  var options = UIOptions(ascii: ui.ascii, quitBehaviour: .stopTrainer)
  options.quitGrace = 120
  let app = MonitorApp(theme: theme, options: options)
  let exit: MonitorExit
  do {
    exit = try app.run(source: queue, onCommand: { trainer.commands.send($0) }, onSignal: { _ in
      trainer.commands.send(.stop(save: true))
      _ = done.wait(timeout: .now() + 300)
    })
  } catch {
    // The terminal could not be opened: stop the trainer we already started, then report.
    trainer.commands.send(.stop(save: false))
    done.wait()
    throw error
  }
  if ProcessInfo.processInfo.environment["RDNAS_MONITOR_STATS"] != nil {
    let st = app.renderStats
    FileHandle.standardError.write(Data("monitor: \(st.frames) frames, \(String(format: "%.3f", st.seconds)) s drawing, \(st.keys) keys\n".utf8))
  }
  switch exit {
  case .signal(let name):
    FileHandle.standardError.write(Data("rdnas: \(name): checkpoint saved in \(trainer.folder.lastCheckpointPath)\n".utf8))
  case .quit(let stopSent):
    if !stopSent { trainer.commands.send(.stop(save: true)) }
    done.wait()
    print("run \(trainer.config.name): \(trainer.state.step) steps; checkpoint \(trainer.folder.lastCheckpointPath)")
  }
  if let e = failure.get() { throw e }
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
    usage: "rdnas monitor runs/rd",
    discussion: "Pause, proxy switches and checkpoints reach a running (headless) trainer through <run>/control. q detaches.")

  @Argument(help: "Run folder (runs/<name>).") var runFolder: String
  @OptionGroup var ui: UIFlags

  func run() throws {
    try runReportingErrors {
      guard FileManager.default.fileExists(atPath: runFolder + "/metrics.jsonl") else {
        throw RDNASError.badInput("\(runFolder) is not a run folder (no metrics.jsonl)")
      }
      let theme = try ui.loadTheme()
      let queue = EventQueue()
      let tailer = FileTailer(runFolder: runFolder)
      let timer = tailer.follow(into: queue)
      defer { _ = timer }
      let app = MonitorApp(theme: theme, options: UIOptions(ascii: ui.ascii, quitBehaviour: .detach))
      let folder = runFolder
      _ = try app.run(source: queue, onCommand: { c in try? ControlChannel.send(c, runFolder: folder) },
                      onSignal: { _ in })
    }
  }
}
