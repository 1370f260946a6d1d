import RunEvents

public struct UIOptions: Sendable, Equatable {
  public enum QuitBehaviour: Sendable, Equatable {
    /// `q` asks whether to save, sends `.stop(save:)` and waits (up to `quitGrace`) for the trainer to finish.
    case stopTrainer
    /// `q` leaves at once and the trainer keeps running (attached monitor on a headless run, or a replay).
    case detach
  }
  public var ascii = false
  /// Mouse reporting: click to focus (on a title: maximise), wheel to scroll. Off keeps the terminal's own
  /// text selection without Shift.
  public var mouse = true
  public var quitBehaviour = QuitBehaviour.stopTrainer
  /// The quit prompt also offers "leave it running": the trainer is a separate job (`--ranks N` launched
  /// mpirun) that outlives this UI, and `rdnas monitor` re-attaches to it later.
  public var canLeaveRunning = false
  public var quitGrace = 30.0
  public var flashSeconds = 4.0
  /// A pause or proxy switch the trainer has not confirmed after this long is dropped with a warning
  /// (a dead control channel must not leave the status bar saying "PAUSING…" forever).
  public var confirmTimeout = 15.0
  public init(ascii: Bool = false, quitBehaviour: QuitBehaviour = .stopTrainer) {
    self.ascii = ascii; self.quitBehaviour = quitBehaviour
  }
}

/// What a key press led to: commands for the trainer, and whether the UI should close.
public struct KeyOutcome: Equatable, Sendable {
  public var commands: [TrainerCommand] = []
  public var exit = false
  /// The UI closes and the trainer is left running (only with `UIOptions.canLeaveRunning`).
  public var leaveRunning = false
  public init(commands: [TrainerCommand] = [], exit: Bool = false, leaveRunning: Bool = false) {
    self.commands = commands; self.exit = exit; self.leaveRunning = leaveRunning
  }
}

/// The whole monitor minus the terminal: model + view state, key handling and rendering into a buffer.
/// `MonitorApp` drives it from curses; tests drive it directly.
public struct MonitorUI: Sendable {
  public var model: MonitorModel
  public var view: ViewState
  public var options: UIOptions

  public init(model: MonitorModel = MonitorModel(), options: UIOptions = UIOptions()) {
    self.model = model; self.view = ViewState(); self.options = options
  }

  mutating func flash(_ text: String, _ level: Flash.Level, now: Double, seconds: Double? = nil) {
    view.flash = Flash(text: text, level: level, until: now + (seconds ?? options.flashSeconds))
  }

  /// Applies a trainer event, and turns confirmations into status-bar messages.
  public mutating func apply(_ e: TrainerEvent, now: Double) {
    model.apply(e)
    switch e {
    case .checkpoint(let c):
      flash("checkpoint saved: \(c.path)", c.reason == "epoch" ? .info : .good, now: now, seconds: c.reason == "epoch" ? nil : 8)
    case .commandApplied(let c):
      if case .setProxy = c.command { view.pendingProxy = nil }
      if !c.detail.isEmpty { flash(c.detail, .info, now: now) }
    case .paused:
      view.pendingPause = nil
    case .failed(let f):
      flash("failed: \(f.message)", .bad, now: now, seconds: 3600)
    case .detached(let d):
      flash("the monitor's terminal hung up (\(d.reason)) at step \(d.step); training went on headless", .warn, now: now)
    case .finished(let f):
      view.pendingPause = nil
      flash(f.stopped ? "run stopped at step \(f.step)" : "run finished", .good, now: now, seconds: 10)
    case .search(let e) where e.event == "paused":
      view.pendingPause = nil
    case .search(let e) where e.event == "finished":
      view.pendingPause = nil
      let how = e.stopped == true ? "search stopped" : e.exhausted == true ? "search finished (no admitted code left)" : "search finished"
      let best = e.bestScore.flatMap { b in model.search.map { " · best " + SearchScreen.format(b, $0) } } ?? ""
      flash(how + best, .good, now: now, seconds: 10)
    default:
      break
    }
  }

  /// Time-based housekeeping, called once per frame: expires unconfirmed requests.
  public mutating func tick(now: Double) {
    guard let since = view.pendingSince, now - since >= options.confirmTimeout else { return }
    if view.pendingPause != nil || view.pendingProxy != nil {
      flash("the trainer did not confirm the last command", .warn, now: now, seconds: 8)
    }
    view.pendingPause = nil
    view.pendingProxy = nil
    view.pendingSince = nil
  }

  /// True once a confirmed quit may close the UI: the trainer is done, or it took longer than the grace period.
  public func shouldExit(now: Double) -> Bool {
    guard let t = view.quittingSince else { return false }
    return model.isOver || now - t >= options.quitGrace
  }

  public mutating func handle(_ key: Key, now: Double, screen: (width: Int, height: Int)) -> KeyOutcome {
    if key == .resize { view.forceRedraw = true; return KeyOutcome() }
    if case .mouse(let m) = key { return handleMouse(m, now: now, screen: screen) }
    guard let a = KeyMap.action(for: key, prompt: view.overlay == .quitPrompt) else { return KeyOutcome() }
    return perform(a, now: now, screen: screen)
  }

  public mutating func perform(_ a: Action, now: Double, screen: (width: Int, height: Int)) -> KeyOutcome {
    if model.search != nil, let outcome = performInSearch(a, now: now) { return outcome }
    if view.ranking, view.overlay == .none, performInRanking(a, now: now, screen: screen) { return KeyOutcome() }
    switch a {
    case .togglePause:
      guard !model.isOver else { flash("the run is over", .warn, now: now); return KeyOutcome() }
      let want = !(view.pendingPause ?? model.paused)
      view.pendingPause = want
      view.pendingSince = now
      flash(want ? "pausing at the next step boundary…" : "resuming…", .info, now: now)
      return KeyOutcome(commands: [want ? .pause : .resume])
    case .proxyNext, .proxyPrevious:
      guard !model.isOver else { flash("the run is over", .warn, now: now); return KeyOutcome() }
      let proxies = model.run?.proxies ?? []
      guard !proxies.isEmpty else { flash("no guidance proxies to cycle (rank distillation is off)", .warn, now: now); return KeyOutcome() }
      let current = view.pendingProxy ?? model.proxy
      let i = current.flatMap { proxies.firstIndex(of: $0) }
      let n = proxies.count
      let next = proxies[a == .proxyNext ? ((i ?? -1) + 1) % n : ((i ?? 0) - 1 + n) % n]
      view.pendingProxy = next
      view.pendingSince = now
      flash("guidance proxy → \(next) (from the next step)", .info, now: now)
      return KeyOutcome(commands: [.setProxy(next)])
    case .checkpoint:
      guard !model.isOver else { flash("the run is over", .warn, now: now); return KeyOutcome() }
      flash("checkpoint requested…", .info, now: now, seconds: 30)
      return KeyOutcome(commands: [.checkpoint])
    case .quit:
      if view.quittingSince != nil { return KeyOutcome(exit: true) }  // second q: stop waiting
      if options.quitBehaviour == .detach || model.isOver || model.run == nil { return KeyOutcome(exit: true) }
      view.overlay = .quitPrompt
    case .confirmQuit(let save):
      view.overlay = .none
      view.quittingSince = now
      flash(save ? "saving a checkpoint and stopping…" : "stopping…", .warn, now: now, seconds: options.quitGrace)
      return KeyOutcome(commands: [.stop(save: save)])
    case .leaveRunning:
      view.overlay = .none
      guard options.canLeaveRunning else { return KeyOutcome() }
      return KeyOutcome(exit: true, leaveRunning: true)
    case .cancel:
      if view.overlay != .none { view.overlay = .none } else { view.maximised = nil }
    case .toggleRanking:
      view.ranking.toggle()
    case .focusNext, .focusPrevious:
      view.ranking = false
      view.focus = a == .focusNext ? view.focus.next : view.focus.previous
      if view.maximised != nil { view.maximised = view.focus }
    case .focusPane(let n):
      guard let p = PaneID(rawValue: n) else { break }
      view.ranking = false
      if view.maximised == p { view.maximised = nil } else { view.focus = p; view.maximised = p }
    case .toggleLogY: view.logY.toggle()
    case .smoothingDown: view.smoothingLevel = max(0, view.smoothingLevel - 1)
    case .smoothingUp: view.smoothingLevel = min(ViewState.smoothingLevels.count - 1, view.smoothingLevel + 1)
    case .toggleEnvelope: view.envelope.toggle()
    case .toggleXAxis: view.xByEpoch.toggle()
    case .toggleLandmarkOrder: view.landmarkOrder = view.landmarkOrder == .prior ? .groundTruth : .prior
    case .scrollUp: scroll(by: -1, screen: screen)
    case .scrollDown: scroll(by: 1, screen: screen)
    case .pageUp: scroll(by: -pageSize(screen), screen: screen)
    case .pageDown: scroll(by: pageSize(screen), screen: screen)
    case .scrollTop: scroll(by: -Int.max / 2, screen: screen)
    case .scrollBottom: scroll(by: Int.max / 2, screen: screen)
    case .toggleHelp: view.overlay = view.overlay == .help ? .none : .help
    case .redraw: view.forceRedraw = true
    }
    return KeyOutcome()
  }

  /// Keys that mean something else on a search's screen: `q` stops the search (after the candidate being
  /// scored; its state is saved after every one, so nothing is asked) or detaches, training-only keys say so.
  /// Nil for keys handled as in training (pause, help, redraw).
  mutating func performInSearch(_ a: Action, now: Double) -> KeyOutcome? {
    switch a {
    case .quit, .confirmQuit:
      if view.quittingSince != nil || options.quitBehaviour == .detach || model.isOver { return KeyOutcome(exit: true) }
      view.overlay = .none
      view.quittingSince = now
      flash("stopping after the candidate being scored…", .warn, now: now, seconds: options.quitGrace)
      return KeyOutcome(commands: [.stop(save: true)], exit: true)
    case .proxyNext, .proxyPrevious:
      flash("a search has no guidance proxy to switch", .info, now: now)
    case .checkpoint:
      flash("the search saves its state after every candidate", .info, now: now)
    case .toggleRanking, .focusNext, .focusPrevious, .focusPane, .toggleLogY, .smoothingDown, .smoothingUp,
         .toggleEnvelope, .toggleXAxis, .toggleLandmarkOrder, .scrollUp, .scrollDown, .pageUp, .pageDown, .scrollTop,
         .scrollBottom:
      break  // training panes only
    default:
      return nil
    }
    return KeyOutcome()
  }

  /// Keys that mean something else while the ranking view is open: selection moves through the table (in
  /// current-rank order), `o` switches the scatter's x axis, Esc closes. False for keys it leaves alone.
  mutating func performInRanking(_ a: Action, now: Double = 0, screen: (width: Int, height: Int)) -> Bool {
    let rows = model.ranking.rows
    let page = max(1, screen.height - 5)
    func move(_ d: Int) {
      guard !rows.isEmpty else { return }
      let current = view.rankingSelection.flatMap { s in rows.firstIndex { $0.index == s } } ?? 0
      view.rankingSelection = rows[max(0, min(rows.count - 1, current + d))].index
    }
    switch a {
    case .scrollUp: move(-1)
    case .scrollDown: move(1)
    case .pageUp: move(-page)
    case .pageDown: move(page)
    case .scrollTop: move(-rows.count)
    case .scrollBottom: move(rows.count)
    case .toggleLandmarkOrder:
      if model.ranking.groundTruthRanks == nil {
        flash("no ground truth (--gt): ranks are compared with the prior", .info, now: now)
      } else {
        view.rankingVsPrior.toggle()
      }
    case .cancel: view.ranking = false
    default: return false
    }
    return true
  }

  /// Rows of the focused list visible at once (for page scrolling).
  func pageSize(_ screen: (width: Int, height: Int)) -> Int {
    let l = Layout.compute(width: screen.width, height: screen.height, maximised: view.maximised)
    return max(1, (l.panes[view.focus]?.height ?? 10) - 4)
  }

  mutating func scroll(by delta: Int, screen: (width: Int, height: Int)) {
    let count: Int
    switch view.focus {
    case .subnets: count = model.samples.count
    case .pairs: count = model.pairs.count
    default: return
    }
    let visible = pageSize(screen)
    let current = view.scrollOffset(view.focus)
    view.scroll[view.focus] = max(0, min(current + delta, max(0, count - visible)))
  }
}
