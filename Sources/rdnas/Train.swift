import ArgumentParser
import Collective
import Common
import Dispatch
import Engine
import Foundation
import Search
import Supernet
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
      + "SIGINT/SIGTERM/SIGHUP save a checkpoint before exiting; --resume continues exactly.")

  @OptionGroup(title: "Run") var output: RunOutputOptions
  @Flag(help: "Continue the run in <runs-dir>/<name> from its last checkpoint.") var resume = false
  @Flag(help: "No terminal UI: a progress line per logged step (attach later with `rdnas monitor`).") var headless = false
  @Option(help: "Start N data-parallel ranks with mpirun and attach the monitor to their run folder.") var ranks: Int?
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
      if let ranks {
        let args = Array(CommandLine.arguments.dropFirst())
        return try RankLauncher.run(ranks: ranks, arguments: args, runFolder: output.runsDir + "/" + output.name,
                                    headless: headless, ui: ui)
      }
      compute.apply()
      var config = try makeConfig()
      if !resume { config.precision = Precision.default }
      let world = World.collective
      // Under mpirun rank 0's stdout is a pipe: the ranks always run headless (`rdnas monitor` attaches).
      let headless = headless || world.size > 1
      if !headless {
        if output.logEvery == nil { config.logEvery = 1 }
        // Fail before any work when there is no usable terminal.
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb", isatty(STDOUT_FILENO) != 0 else {
          throw RDNASError.badInput("no usable terminal (TERM=\(term.isEmpty ? "unset" : term)); use --headless")
        }
        _ = try ui.loadTheme()
      }
      let trainer = try Trainer(config: config, resume: resume, proxyScorer: ProxyScoring.scorer(config: config),
                                collective: world)
      if resume, let warning = Precision.resumeWarning(trainedIn: trainer.config.precision) {
        FileHandle.standardError.write(Data("rdnas: \(warning)\n".utf8))
      }
      defer {
        if let lost = trainer.folder.appendFailures {
          FileHandle.standardError.write(Data(("rdnas: warning: \(lost.count) events could not be written to "
            + "\(trainer.folder.metricsPath) (\(lost.reason)); the lines before them are intact\n").utf8))
        }
      }
      if headless { try runHeadless(trainer) } else { try runWithMonitor(trainer, ui: ui) }
    }
  }
}

/// Headless training: progress lines on stderr, signals turn into a save-and-stop command.
func runHeadless(_ trainer: Trainer) throws {
  let signals = SignalStop(commands: trainer.commands)
  defer { signals.cancel() }
  trainer.addSink { e in
    switch e {
    case .step(let s):
      let total = trainer.stepsPerEpoch * trainer.config.epochs
      var line = String(format: "epoch %d  step %d/%d  loss %.4f  lr %.4f  %.0f img/s", s.epoch + 1, s.step, total,
                        s.loss, s.lr, s.imagesPerSecond)
      if let r = s.rankLoss, let l = s.lambda { line += String(format: "  rank %.4f  λ %.2f", r, l) }
      FileHandle.standardError.write(Data((line + "\n").utf8))
    case .epochEnd(let e):
      var line = String(format: "epoch %d done: mean loss %.4f in %.0f s", e.epoch + 1, e.meanLoss, e.seconds)
      if let s = e.priorSeconds, let n = e.newPriors, n > 0 { line += String(format: "  priors %.1f s (%d new)", s, n) }
      if let r = e.residentMiB, let p = e.peakResidentMiB { line += String(format: "  RSS %.0f MiB (peak %.0f)", r, p) }
      FileHandle.standardError.write(Data((line + "\n").utf8))
    case .evaluation(let ev):
      var line = "eval epoch \(ev.epoch + 1): landmark τ"
      if let g = ev.tauGroundTruth { line += String(format: " vs GT %.3f", g) }
      if let g = ev.tauGroundTruthByLoss { line += String(format: " (by loss %.3f)", g) }
      if let p = ev.tauProxy { line += String(format: "  vs proxy %.3f", p) }
      if let p = ev.tauPrevious { line += String(format: "  vs previous %.3f", p) }
      FileHandle.standardError.write(Data((line + "\n").utf8))
    case .checkpoint(let c):
      FileHandle.standardError.write(Data("checkpoint (\(c.reason)) \(c.path)\n".utf8))
    case .commandApplied(let c):
      FileHandle.standardError.write(Data("\(c.detail)\n".utf8))
    case .finished(let f):
      FileHandle.standardError.write(Data(String(format: "%@ after %d steps, %.1f s\n",
                                                 f.stopped ? "stopped" : "finished", f.step, f.seconds).utf8))
      if trainer.context.collective.size > 1 {
        let mb = trainer.exchange.averageFloatsPerStep * 4 / 1e6
        FileHandle.standardError.write(Data(String(format: "all-reduced %.3f MB per step (%d ranks)\n", mb,
                                                   trainer.context.collective.size).utf8))
      }
    default: break
    }
  }
  try trainer.run()
}

/// SIGINT/SIGTERM/SIGHUP become "save a checkpoint and stop" at the next step boundary. So does SIGUSR1:
/// `mpirun` forwards it to every rank (whereas on SIGINT/SIGTERM it kills the ranks itself), so
/// `kill -USR1 <mpirun pid>` stops a multi-rank run with a checkpoint.
final class SignalStop: @unchecked Sendable {
  private var sources: [DispatchSourceSignal] = []
  private let queue = DispatchQueue(label: "rdnas.signals")

  init(commands: CommandQueue) {
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGUSR1] {
      signal(sig, SIG_IGN)
      let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
      s.setEventHandler { commands.send(.stop(save: true)) }
      s.resume()
      sources.append(s)
    }
  }

  func cancel() {
    for s in sources { s.cancel() }
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGUSR1] { signal(sig, SIG_DFL) }
  }
}
