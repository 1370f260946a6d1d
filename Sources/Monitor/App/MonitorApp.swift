import Foundation
import Training

/// Why the UI loop ended.
public enum MonitorExit: Equatable, Sendable {
  /// The user quit; `stopSent` tells whether a `.stop` command went to the trainer.
  case quit(stopSent: Bool)
  /// SIGINT/SIGTERM/SIGHUP arrived; `onSignal` has already run.
  case signal(String)
  /// The terminal hung up (SIGHUP with a trap that `hangupDetaches`): curses was shut down without writing to
  /// the dead terminal, and the event source is still running.
  case hangup
}

/// The live monitor: a ~10 fps loop on the calling (main) thread that polls keys, drains events from a
/// non-blocking source, renders into an off-screen buffer and flushes the changed cells through curses.
public final class MonitorApp {
  public let theme: Theme
  public var options: UIOptions
  public var framesPerSecond: Double
  /// Events applied per frame at most (the rest wait for the next frame).
  public var maxEventsPerFrame = 20_000
  /// The UI state, readable after `run` returns (e.g. to print a summary).
  public private(set) var ui: MonitorUI
  /// Frames drawn and the time spent drawing them (for profiling the UI's own cost).
  public private(set) var renderStats = (frames: 0, seconds: 0.0, keys: 0)

  public init(theme: Theme, options: UIOptions = UIOptions(), framesPerSecond: Double = 10,
              model: MonitorModel = MonitorModel()) {
    self.theme = theme; self.options = options; self.framesPerSecond = framesPerSecond
    ui = MonitorUI(model: model, options: options)
  }

  /// Runs until the user quits or a signal arrives; the terminal is restored on every exit path.
  ///
  /// - `source`: where trainer events come from (an `EventQueue` fed by a trainer thread or `FileTailer`).
  /// - `onCommand`: called on this thread for each command (pause, proxy, checkpoint, stop); it must not
  ///   block (enqueue it for the trainer, or write it to the control channel).
  /// - `onSignal`: called once on a background queue with "SIGINT"/"SIGTERM"/"SIGHUP" (save a checkpoint
  ///   there); the loop then restores the terminal and returns `.signal(name)`.
  public func run(source: EventSource, onCommand: @escaping (TrainerCommand) -> Void,
                  onSignal: @escaping @Sendable (String) -> Void) throws -> MonitorExit {
    let trap = SignalTrap(handler: onSignal)  // before curses, so curses leaves these signals alone
    defer { trap.cancel() }
    return try run(source: source, onCommand: onCommand, signals: trap)
  }

  /// As above, with a signal trap the caller owns (create it before calling, cancel it when done): it outlives
  /// the UI, so after a `.hangup` SIGINT/SIGTERM still reach its handler without a gap.
  public func run(source: EventSource, onCommand: @escaping (TrainerCommand) -> Void,
                  signals trap: SignalTrap) throws -> MonitorExit {
    let backend = try CursesBackend(monochrome: theme.monochrome)
    defer { backend.restore() }
    ui.options = options
    if !backend.unicode { ui.options.ascii = true }
    let frame = 1.0 / max(1, framesPerSecond)
    var buffer = ScreenBuffer(width: 0, height: 0)
    var stopSent = false
    var nextFrame = 0.0
    var signalShown = false
    var backlog = [TrainerEvent]()
    while true {
      let now = Date().timeIntervalSince1970
      if trap.hungUp {
        backend.abandon()
        return .hangup
      }
      if let name = trap.handledSignal {
        backend.restore()
        return .signal(name)
      }
      if !signalShown, let name = trap.receivedSignal {
        ui.flash("\(name) received: saving and stopping…", .warn, now: now, seconds: 3600)
        signalShown = true
      }
      // A long replay arrives in one go; apply it over several frames so keys stay responsive.
      backlog += source.drain()
      let n = min(backlog.count, maxEventsPerFrame)
      for e in backlog[..<n] { ui.apply(e, now: now) }
      backlog.removeFirst(n)
      ui.tick(now: now)
      if ui.shouldExit(now: now) { return .quit(stopSent: stopSent) }
      let (w, h) = backend.size
      if now >= nextFrame || buffer.width != w || buffer.height != h || ui.view.forceRedraw {
        if buffer.width != w || buffer.height != h { buffer = ScreenBuffer(width: w, height: h) }
        let r0 = Date()
        ui.render(into: &buffer, theme: theme, now: now)
        backend.present(buffer, theme: theme, force: ui.view.forceRedraw)
        renderStats.frames += 1
        renderStats.seconds += Date().timeIntervalSince(r0)
        ui.view.forceRedraw = false
        nextFrame = now + frame
      }
      // Wait for a key at most until the next frame is due; handle every key that is already queued.
      let waitMs = Int32(max(0, min(frame, nextFrame - Date().timeIntervalSince1970)) * 1000)
      var key = backend.readKey(timeoutMs: waitMs)
      while let k = key {
        renderStats.keys += 1
        let outcome = ui.handle(k, now: Date().timeIntervalSince1970, screen: backend.size)
        for c in outcome.commands {
          if case .stop = c { stopSent = true }
          onCommand(c)
        }
        if outcome.exit { return .quit(stopSent: stopSent) }
        nextFrame = 0  // redraw right away so keys feel instant
        key = backend.readKey(timeoutMs: 0)
      }
    }
  }
}
