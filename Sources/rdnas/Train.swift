import ArgumentParser
import Collective
import Common
import Dispatch
import Engine
import Foundation
import Search
import Supernet
import Synchronization
import Training

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a weight-sharing supernet, watched live in the terminal monitor (or --headless).",
    usage: """
      rdnas train --name rd --space resnet --strategy sandwich --paths 4 --proxy flops --pairs 2 --epochs 5
      rdnas train --name rd --resume
      rdnas train --headless --name nb --space nb201 --strategy spos --paths 1 --gt data/nb201.csv
      """,
    discussion: "Writes runs/<name>/ (config.json, metrics.jsonl, checkpoints/; see docs/run-format.md). "
      + "SIGINT/SIGTERM save a checkpoint before exiting; a hang-up trains on headless (--on-hangup stop saves and stops); --resume continues exactly.")

  @OptionGroup(title: "Run") var output: RunOutputOptions
  @Flag(help: "Continue the run in <runs-dir>/<name> from its last checkpoint.") var resume = false
  @Flag(help: "No terminal UI: a progress line per logged step (attach later with `rdnas monitor`).") var headless = false
  @Option(help: "Start N data-parallel ranks with mpirun and attach the monitor to their run folder.") var ranks: Int?
  @Flag(help: "Insist on the terminal monitor: fail (exit 2) instead of training headless when there is no terminal.")
  var monitor = false
  @Option(help: "On hang-up (SIGHUP, a dropped SSH connection): continue (train on headless; re-attach with `rdnas monitor`) | stop (save and stop).")
  var onHangup: HangupPolicy = .continue
  @OptionGroup(title: "Data") var data: DataOptions
  @OptionGroup(title: "Search space") var space: SpaceOptions
  @OptionGroup(title: "Network") var network: NetworkOptions
  @OptionGroup(title: "Supernet training") var supernet: SupernetOptions
  @OptionGroup(title: "Optimiser") var optimizer: OptimizerOptions
  @OptionGroup(title: "Ranking distillation") var ranking: RankingOptions
  @OptionGroup(title: "Live rank correlation") var landmarks: LandmarkOptions
  @OptionGroup(title: "Randomness") var seed: SeedOption
  @OptionGroup(title: "Compute") var compute: ComputeOptions
  @OptionGroup(title: "Monitor") var ui: UIFlags

  func makeConfig() throws -> TrainingConfig {
    var c = TrainingConfig()
    c.seed = seed.seed; c.threads = compute.threads
    try output.apply(to: &c)
    data.apply(to: &c)
    try space.apply(to: &c)
    try network.apply(to: &c)
    try supernet.apply(to: &c)
    try optimizer.apply(to: &c)
    try ranking.apply(to: &c)
    landmarks.apply(to: &c)
    return c
  }

  func run() throws {
    try runReportingErrors {
      guard !(headless && monitor) else { throw RDNASError.badInput("--headless and --monitor exclude each other") }
      if let ranks {
        let args = Array(CommandLine.arguments.dropFirst())
        return try RankLauncher.run(ranks: ranks, arguments: args, runFolder: output.runsDir + "/" + output.name,
                                    headless: headless, ui: ui)
      }
      let fixedPrecision = compute.applyThreads()
      var config = try makeConfig()
      if !resume, let fixedPrecision { config.precision = fixedPrecision.precision }
      let world = World.collective
      // Under mpirun rank 0's stdout is a pipe: the ranks always run headless (`rdnas monitor` attaches).
      var headless = self.headless || world.size > 1
      if !headless {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        if let missing = TerminalCheck.problem(term: term) {
          // Fail before any work for an explicit --monitor; otherwise behave like a command-line tool that
          // is not attached to a TTY (`| tee log`, nohup, batch jobs): carry on without the UI.
          guard !monitor else { throw RDNASError.badInput("no usable terminal (\(missing)); use --headless") }
          headless = true
          FileHandle.standardError.write(Data("rdnas: \(missing): training headless (attach with `rdnas monitor \(config.runDirectory)`)\n".utf8))
        } else {
          if output.logEvery == nil { config.logEvery = 1 }
          _ = try ui.loadTheme()
        }
      }
      let trainer = try Trainer(config: config, resume: resume, proxyScorer: ProxyScoring.scorer(config: config),
                                collective: world, autoPrecision: fixedPrecision == nil ? compute.autoPrecision : nil,
                                fixedPrecision: resume ? nil : fixedPrecision,
                                openMPSettings: OpenMPEnvironment.description)
      if resume, let warning = Precision.resumeWarning(trainedIn: trainer.config.precision) {
        FileHandle.standardError.write(Data("rdnas: \(warning)\n".utf8))
      }
      defer {
        if let lost = trainer.folder.appendFailures {
          FileHandle.standardError.write(Data(("rdnas: warning: \(lost.count) events could not be written to "
            + "\(trainer.folder.metricsPath) (\(lost.reason)); the lines before them are intact\n").utf8))
        }
      }
      if headless { try runHeadless(trainer, onHangup: onHangup) } else { try runWithMonitor(trainer, ui: ui, onHangup: onHangup) }
    }
  }
}

/// What a hang-up does to `rdnas train` with the monitor.
enum HangupPolicy: String, ExpressibleByArgument, CaseIterable {
  case `continue`, stop
}

/// Whether this process can draw the monitor: standard input and output are terminals and TERM names one.
enum TerminalCheck {
  /// Why there is no usable terminal, or nil when there is one.
  static func problem(term: String) -> String? {
    if isatty(STDOUT_FILENO) == 0 { return "standard output is not a terminal" }
    if isatty(STDIN_FILENO) == 0 { return "standard input is not a terminal" }
    if term.isEmpty || term == "dumb" { return "TERM=\(term.isEmpty ? "unset" : term)" }
    return nil
  }
}

/// Headless training: progress lines on stderr, SIGINT/SIGTERM turn into a save-and-stop command. A hang-up
/// (the terminal of `rdnas train … | tee log` or of a shell that ran it in the background went away) stops
/// the run only with `--on-hangup stop`; otherwise it is logged and the progress lines go to /dev/null.
func runHeadless(_ trainer: Trainer, onHangup: HangupPolicy) throws {
  signal(SIGPIPE, SIG_IGN)  // a reader of our output that died (tee) must not kill the run: writes just fail
  let lastStep = Mutex(0)
  let signals = SignalStop(commands: trainer.commands, stopOnHangup: onHangup == .stop) {
    detachStandardStreams()
    trainer.folder.append(.detached(DetachRecord(step: lastStep.withLock { $0 }, reason: "SIGHUP",
                                                 time: Date().timeIntervalSince1970)))
  }
  defer { signals.cancel() }
  trainer.addSink { e in
    switch e {
    case .started(let r):
      if let p = r.precision { progress("precision \(p)" + (r.precisionReason.map { ": \($0)" } ?? "")) }
      progress("threads \(r.threads.map(String.init) ?? "?"); OpenMP spin: \(r.openMP ?? "?")")
    case .step(let s):
      lastStep.withLock { $0 = s.step }
      let total = trainer.stepsPerEpoch * trainer.config.epochs
      var line = String(format: "epoch %d  step %d/%d  loss %.4f  lr %.4f  %.0f img/s", s.epoch + 1, s.step, total,
                        s.loss, s.lr, s.imagesPerSecond)
      if let r = s.rankLoss, let l = s.lambda { line += String(format: "  rank %.4f  λ %.2f", r, l) }
      progress(line)
    case .epochEnd(let e):
      var line = String(format: "epoch %d done: mean loss %.4f in %.0f s", e.epoch + 1, e.meanLoss, e.seconds)
      if let s = e.priorSeconds, let n = e.newPriors, n > 0 { line += String(format: "  priors %.1f s (%d new)", s, n) }
      if let r = e.residentMiB, let p = e.peakResidentMiB { line += String(format: "  RSS %.0f MiB (peak %.0f)", r, p) }
      progress(line)
    case .evaluation(let ev):
      var line = "eval epoch \(ev.epoch + 1): landmark τ"
      if ev.scoreBy == "loss" {
        if let g = ev.tauGroundTruthByLoss { line += String(format: " (by loss) vs GT %.3f", g) }
        if let g = ev.tauGroundTruth { line += String(format: " (by accuracy %.3f)", g) }
      } else {
        if let g = ev.tauGroundTruth { line += String(format: " vs GT %.3f", g) }
        if let g = ev.tauGroundTruthByLoss { line += String(format: " (by loss %.3f)", g) }
      }
      if let p = ev.tauProxy { line += String(format: "  vs proxy %.3f", p) }
      if let p = ev.tauPrevious { line += String(format: "  vs previous %.3f", p) }
      progress(line)
    case .checkpoint(let c):
      progress("checkpoint (\(c.reason)) \(c.path)")
    case .commandApplied(let c):
      progress(c.detail)
    case .finished(let f):
      progress(String(format: "%@ after %d steps, %.1f s", f.stopped ? "stopped" : "finished", f.step, f.seconds))
      if trainer.context.collective.size > 1 {
        progress(String(format: "all-reduced %.3f MB per step (%d ranks)", trainer.exchange.averageFloatsPerStep * 4 / 1e6,
                        trainer.context.collective.size))
      }
    default: break
    }
  }
  try trainer.run()
}

/// One progress line on stderr; a failed write (the terminal hung up, the pipe's reader died) is ignored,
/// where FileHandle.write would trap.
func progress(_ line: String) {
  let text = line + "\n"
  _ = text.withCString { write(STDERR_FILENO, $0, strlen($0)) }
}

/// SIGINT/SIGTERM (and SIGHUP with `stopOnHangup`) become "save a checkpoint and stop" at the next step
/// boundary; otherwise SIGHUP runs `onHangup` once and training goes on. So does SIGUSR1: `mpirun` forwards
/// it to every rank (whereas on SIGINT/SIGTERM it kills the ranks itself), so `kill -USR1 <mpirun pid>` stops
/// a multi-rank run with a checkpoint.
final class SignalStop: @unchecked Sendable {
  private var sources: [DispatchSourceSignal] = []
  private var handled: [Int32] = []
  private let queue = DispatchQueue(label: "rdnas.signals")
  private let hungUp = Atomic<Bool>(false)

  convenience init(commands: CommandQueue, stopOnHangup: Bool = true, onHangup: @escaping @Sendable () -> Void = {}) {
    self.init(stopOnHangup: stopOnHangup, onStop: { commands.send(.stop(save: true)) }, onHangup: onHangup)
  }

  /// `onStop` runs on a signal queue (set a flag there; act on it at the next step boundary). `signals` are the
  /// ones handled: SIGHUP among them only if given.
  init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGUSR1], stopOnHangup: Bool = true,
       onStop: @escaping @Sendable () -> Void, onHangup: @escaping @Sendable () -> Void = {}) {
    for sig in signals {
      signal(sig, SIG_IGN)
      let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
      if sig == SIGHUP && !stopOnHangup {
        s.setEventHandler { [self] in
          let (first, _) = hungUp.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent)
          if first { onHangup() }
        }
      } else {
        s.setEventHandler { onStop() }
      }
      s.resume()
      sources.append(s)
      handled.append(sig)
    }
  }

  func cancel() {
    for s in sources { s.cancel() }
    for sig in handled where sig != SIGHUP { signal(sig, SIG_DFL) }
    if handled.contains(SIGHUP), !hungUp.load(ordering: .sequentiallyConsistent) { signal(SIGHUP, SIG_DFL) }
  }

  /// SIGHUP is ignored already (the process runs under `nohup`): a hang-up then must not stop it either.
  static var hangupIgnored: Bool {
    var current = sigaction()
    sigaction(SIGHUP, nil, &current)
    return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
  }
}
