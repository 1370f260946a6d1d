import Foundation
import RunEvents

/// Why the UI loop ended.
public enum MonitorExit: Equatable, Sendable {
  /// The user quit; `stopSent` tells whether a `.stop` command went to the trainer.
  case quit(stopSent: Bool)
  /// The user closed the UI and left the trainer running (`UIOptions.canLeaveRunning`).
  case leftRunning
  /// SIGINT/SIGTERM/SIGHUP arrived; `onSignal` has already run.
  case signal(String)
  /// The terminal hung up (SIGHUP with a trap that `hangupDetaches`): curses was shut down without writing to
  /// the dead terminal, and the event source is still running.
  case hangup
}

/// The live monitor: a loop on the calling (main) thread that polls keys, drains events from a non-blocking
/// source, renders into an off-screen buffer when `RedrawPolicy` says a frame is due (a key: at once; new
/// data: at most `framesPerSecond`) and flushes only the changed cells through curses.
public final class MonitorApp {
  public let theme: Theme
  public var options: UIOptions
  /// When frames are drawn (data-driven frame cap, list-pane refresh, heartbeat).
  public var redraw: RedrawPolicy
  public var framesPerSecond: Double {
    get { redraw.framesPerSecond }
    set { redraw.framesPerSecond = max(0.1, newValue) }
  }
  /// Events applied per frame at most (the rest wait for the next frame).
  public var maxEventsPerFrame = 20_000
  /// The UI state, readable after `run` returns (e.g. to print a summary).
  public private(set) var ui: MonitorUI
  /// Frames drawn and the time spent drawing them (for profiling the UI's own cost).
  public private(set) var renderStats = (frames: 0, seconds: 0.0, keys: 0)
  /// Cells that changed from one shown frame to the next, per screen region ("status", pane titles): where the
  /// bytes sent to the terminal go.
  public private(set) var changedCells: [String: Int] = [:]

  public init(theme: Theme, options: UIOptions = UIOptions(), framesPerSecond: Double = 2,
              model: MonitorModel = MonitorModel()) {
    self.theme = theme; self.options = options
    redraw = RedrawPolicy(framesPerSecond: framesPerSecond)
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
    let backend = try CursesBackend(monochrome: theme.monochrome, mouse: options.mouse)
    defer { backend.restore() }
    ui.options = options
    if !backend.unicode { ui.options.ascii = true }
    var policy = redraw
    var buffer = ScreenBuffer(width: 0, height: 0)
    var shown = ScreenBuffer(width: 0, height: 0)
    var stopSent = false
    var signalShown = false
    var backlog = [TrainerEvent]()
    var instantEmptyReads = 0
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
        policy.noteInput()
      }
      // A long replay arrives in one go; apply it over several frames so keys stay responsive.
      backlog += source.drain()
      let n = min(backlog.count, maxEventsPerFrame)
      for e in backlog[..<n] { ui.apply(e, now: now) }
      backlog.removeFirst(n)
      if n > 0 { policy.noteData() }
      ui.tick(now: now)
      if ui.shouldExit(now: now) { return .quit(stopSent: stopSent) }
      let (w, h) = backend.size
      if buffer.width != w || buffer.height != h || ui.view.forceRedraw { policy.noteInput() }
      if let frame = policy.frame(now: now) {
        if buffer.width != w || buffer.height != h { buffer = ScreenBuffer(width: w, height: h) }
        let r0 = Date()
        ui.render(into: &buffer, theme: theme, now: now)
        if frame.holdLists, !ui.view.forceRedraw { ui.holdListPanes(in: &buffer, shown: shown) }
        if shown.width == w, shown.height == h { countChanges(buffer, from: shown) }
        backend.present(buffer, theme: theme, force: ui.view.forceRedraw)
        shown = buffer
        renderStats.frames += 1
        renderStats.seconds += Date().timeIntervalSince(r0)
        ui.view.forceRedraw = false
      }
      // Wait for a key at most until the next frame is due; handle every key that is already queued.
      // (Poll the event source at the frame rate at least; without a pending frame that is the only wake-up.)
      let wait = backlog.isEmpty ? min(policy.secondsUntilDue(now: Date().timeIntervalSince1970), policy.frameInterval) : 0
      let waitMs = Int32(max(0, wait) * 1000)
      let asked = Date()
      var key = backend.readKey(timeoutMs: waitMs)
      // A terminal that went away without a SIGHUP reaching us (it was ignored, or went to another process
      // group) makes every read fail at once: that must not spin this thread at full speed beside the trainer.
      if key == nil, waitMs >= 20, Date().timeIntervalSince(asked) < 0.002 { instantEmptyReads += 1 } else { instantEmptyReads = 0 }
      if instantEmptyReads >= 50, trap.hangupDetaches {
        backend.abandon()
        return .hangup
      }
      while let k = key {
        renderStats.keys += 1
        let outcome = ui.handle(k, now: Date().timeIntervalSince1970, screen: backend.size)
        for c in outcome.commands {
          if case .stop = c { stopSent = true }
          onCommand(c)
        }
        if outcome.leaveRunning { return .leftRunning }
        if outcome.exit { return .quit(stopSent: stopSent) }
        policy.noteInput()  // redraw right away so keys feel instant
        key = backend.readKey(timeoutMs: 0)
      }
    }
  }

  private func countChanges(_ buf: ScreenBuffer, from old: ScreenBuffer) {
    let layout = Layout.compute(width: buf.width, height: buf.height, maximised: ui.view.maximised)
    var regions: [(String, Rect)] = layout.panes.map { ($0.key.title, $0.value) }
    regions.append(("status", layout.status))
    for (name, r) in regions where !r.isEmpty {
      var n = 0
      for y in r.y..<r.maxY { for x in r.x..<r.maxX where buf[x, y] != old[x, y] { n += 1 } }
      changedCells[name, default: 0] += n
    }
  }
}
