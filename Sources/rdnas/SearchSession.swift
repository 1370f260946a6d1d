import Collective
import Common
import Dispatch
import Foundation
import Monitor
import Ranking
import RunEvents
import Search
import Training

/// One `rdnas search` run over a trained supernet: proposes generations, scores them (sharded over MPI
/// ranks), saves the state after every candidate and logs every step to `events.jsonl` and to `sinks` (the
/// monitor's queue). Between candidates it obeys commands: from `commands` (keys, signals) and, on a single
/// process, from `<search folder>/control` (an attached `rdnas monitor`): pause, resume, stop.
final class SearchSession: @unchecked Sendable {
  private(set) var search: ArchitectureSearch
  let folder: SearchFolder
  let evaluator: CandidateEvaluator
  let world: any Collective
  let top: Int
  let scoreByLoss: Bool
  let commands = CommandQueue()
  /// Called for every logged event (on the search's thread).
  var sinks: [(SearchEvent) -> Void] = []
  /// Called after each generation is recorded, with its wall time (headless progress lines).
  var onGeneration: ((ArchitectureSearch, Double) -> Void)?
  private(set) var stopped = false
  private var paused = false

  init(search: ArchitectureSearch, folder: SearchFolder, evaluator: CandidateEvaluator, world: any Collective, top: Int,
       scoreByLoss: Bool) {
    self.search = search; self.folder = folder; self.evaluator = evaluator; self.world = world; self.top = top
    self.scoreByLoss = scoreByLoss
  }

  func log(_ events: [SearchEvent]) throws {
    guard world.isRoot else { return }
    try folder.append(events)
    for e in events { for s in sinks { s(e) } }
  }

  func score(_ accuracy: Double, _ loss: Double) -> CandidateScore {
    CandidateScore(score: scoreByLoss ? -loss : accuracy, accuracy: accuracy, loss: loss)
  }

  func run() throws {
    // Commands need every rank to act at the same candidate; under mpirun only signals end a search.
    let control = world.size == 1 ? ControlChannel.Reader(runFolder: folder.path) : nil
    try log([.started(search.state)])
    let space = search.space
    generations: while !search.state.isFinished {
      let started = Date()
      let codes = search.proposeGeneration()
      // Each rank scores a contiguous part of the generation (a score depends only on its candidate);
      // every rank then records the same scores, so all keep the same state and propose the same next.
      var results: [[Double]] = []
      for e in codes[world.part(of: codes.count)] {
        if world.size == 1, try obeyCommands(control) { stopped = true; break generations }
        if let done = search.pendingScore(of: e), let acc = done.accuracy, let loss = done.loss {
          results.append([acc, loss])  // scored before an interruption
          continue
        }
        let r = try evaluator.evaluate(e)
        results.append([r.accuracy, r.loss])
        // Saved at once: an interrupted search loses at most the candidate it was scoring.
        search.notePending(e, score(r.accuracy, r.loss))
        if world.isRoot { try folder.save(search.state) }
        try log([.scored(e, score(r.accuracy, r.loss), generation: search.state.generation, space: space)])
      }
      if world.size > 1 { results = try world.allGather(results).flatMap { $0 } }
      try search.record(codes, scores: results.map { score($0[0], $0[1]) })
      guard world.isRoot else { continue }
      // State first, then the log: the log never holds a generation the state does not.
      try folder.save(search.state)
      let seconds = Date().timeIntervalSince(started)
      try log(SearchEvent.generation(search.state, space: space, seconds: seconds))
      try folder.writeOutputs(search.state, space: space, top: top)
      onGeneration?(search, seconds)
    }
    try log([.finished(search.state, space: space, stopped: stopped)])
  }

  /// Applies queued commands; while paused, waits for resume or stop. True when the search must stop.
  private func obeyCommands(_ control: ControlChannel.Reader?) throws -> Bool {
    repeat {
      for c in commands.drain() + (control?.poll() ?? []) {
        switch c {
        case .stop: return true
        case .pause where !paused:
          paused = true
          try log([.paused(true, search.state)])
        case .resume where paused:
          paused = false
          try log([.paused(false, search.state)])
        default: break  // checkpoints and proxies mean nothing here: the state is saved after every candidate
        }
      }
      if paused { Thread.sleep(forTimeInterval: 0.1) }
    } while paused
    return false
  }
}

/// `rdnas search` with the monitor: the search runs on a background queue and feeds the UI; `p` pauses,
/// `q` stops after the candidate being scored (the state is saved after every one), a hang-up lets the search
/// go on headless (`rdnas monitor <run>/search/<name>` re-attaches).
func runSearchWithMonitor(_ session: SearchSession, ui: UIFlags) throws {
  let theme = try ui.loadTheme()
  let queue = EventQueue()
  session.sinks.append { queue.push(.search($0)) }
  let done = DispatchGroup()
  let failure = FailureBox()
  let trap = SignalTrap(hangupDetaches: true) { _ in
    session.commands.send(.stop(save: true))
    _ = done.wait(timeout: .now() + 300)
  }
  defer { trap.cancel() }
  done.enter()
  DispatchQueue(label: "rdnas.search", qos: .userInitiated).async {
    do { try session.run() } catch { failure.set(error) }
    done.leave()
  }
  var options = UIOptions(ascii: ui.ascii, quitBehaviour: .stopTrainer)
  options.mouse = !ui.noMouse
  let app = MonitorApp(theme: theme, options: options, framesPerSecond: ui.fps)
  let exit: MonitorExit
  do {
    exit = try app.run(source: queue, onCommand: { session.commands.send($0) }, signals: trap)
  } catch {
    session.commands.send(.stop(save: true))
    done.wait()
    throw error
  }
  switch exit {
  case .hangup:
    detachStandardStreams()
    done.wait()
  case .signal(let name):
    FileHandle.standardError.write(Data("rdnas: \(name): search stopped; its state is in \(session.folder.statePath)\n".utf8))
  default:
    session.commands.send(.stop(save: true))  // no-op when the search is over
    done.wait()
  }
  if let e = failure.get() { throw e }
}
