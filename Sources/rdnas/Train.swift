import ArgumentParser
import Common
import Dispatch
import Engine
import Foundation
import Search
import Supernet
import Synchronization
import Training

/// Options that define a supernet training run (shared by `train` and tests of the CLI).
struct TrainOptions: ParsableArguments {
  @Option(help: "Run name: outputs go to <runs-dir>/<name>/.") var name = "run"
  @Option(help: "Folder holding run folders.") var runsDir = "runs"
  @Option(help: "Search space: resnet | nb201.") var space = "resnet"
  @Option(help: "Strategy: spos | fairnas | sandwich | ofa.") var strategy = "sandwich"
  @Option(help: "Paths per step (sandwich: largest + smallest + n−2 random).") var paths = 4
  @Option(help: "Loss of distilled paths: kd | alpha.") var distillation = "kd"
  @Option(help: "Outer activation (resnet): relu | prelu | swish | mish.") var activation = "relu"
  @Option(help: "Dataset: fashion-mnist | mnist | cifar10 | folder.") var dataset = "fashion-mnist"
  @Option(help: "Dataset folder (default: the dataset's standard location).") var data: String?
  @Option(help: "Validation split size taken from the training set.") var validationSize = 5000
  @Option(help: "Train on at most this many images (after the split).") var trainLimit: Int?
  @Option(help: "Epochs.") var epochs = 5
  @Option(help: "Batch size.") var batchSize = 64
  @Option(help: "Peak learning rate.") var lr: Float = 0.05
  @Option(help: "Linear warm-up epochs.") var warmup: Double = 0
  @Option(help: "LR schedule: cosine | constant | step.") var schedule = "cosine"
  @Option(help: "Weight decay (not on BN/bias).") var weightDecay: Float = 5e-4
  @Option(help: "Momentum.") var momentum: Float = 0.9
  @Flag(help: "Plain momentum instead of Nesterov.") var noNesterov = false
  @Option(help: "Clip gradients to this global norm.") var clipNorm: Double?
  @Option(help: "Seed.") var seed: UInt64 = 0
  @Option(help: "resnet base channels, comma-separated.") var baseChannels = "16,32,64,128"
  @Option(help: "resnet channel rounding divisor.") var channelDivisor = 4
  @Flag(help: "resnet: restrict width codes to the competition's test sets (1-3,1-3,1-5,1-7).") var competitionWidths = false
  @Option(help: "nb201 channels C.") var nb201C = 16
  @Option(help: "nb201 cells per stage N.") var nb201N = 5
  @Option(help: "Start from this checkpoint of the largest network (mid channels reordered).") var initFrom: String?
  @Option(help: "Guiding proxy of the rank loss (flops, params, synflow, zen, ...); omit to disable.") var proxy: String?
  @Option(help: "Rank pairs per step.") var pairs = 2
  @Option(help: "λ schedule: warmup | constant | cosine | multistage.") var lambdaSchedule = "warmup"
  @Option(help: "λ maximum.") var lambdaMax = 2.0
  @Option(help: "Hinge margin.") var margin = 0.0
  @Flag(help: "Symmetric hinge (both paths of a pair get gradient).") var symmetric = false
  @Option(help: "Margin sampler: minimum distance between a pair's subnets.") var minDistance: Double?
  @Flag(help: "Use the weighted NB201 op distance for the margin sampler.") var weightedDistance = false
  @Option(help: "Ground truth for live rank correlation (NB201 CSV or competition JSON).") var gt: String?
  @Option(help: "Ground-truth column (NB201: cifar10 | cifar100 | imagenet).") var gtColumn: String?
  @Option(help: "Landmark architectures for live rank correlation.") var landmarks = 50
  @Option(help: "Evaluate landmarks every N epochs.") var evalEvery = 1
  @Option(help: "Also evaluate landmarks every N steps (0 = epoch ends only).") var evalEverySteps = 0
  @Option(help: "Validation images used for landmark evaluation.") var evalImages = 1000
  @Option(help: "Log every N steps (default: 1 with the monitor, 10 headless).") var logEvery: Int?

  func makeConfig(threads: Int?) throws -> TrainingConfig {
    var c = TrainingConfig()
    c.name = name; c.runsDirectory = runsDir; c.space = space; c.seed = seed; c.threads = threads
    func choice<T: RawRepresentable & CaseIterable>(_ v: String, _ flag: String) throws -> T where T.RawValue == String {
      guard let x = T(rawValue: v) else {
        throw RDNASError.badInput("--\(flag) '\(v)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return x
    }
    c.strategy = try choice(strategy, "strategy")
    c.distillation = try choice(distillation, "distillation")
    c.activation = try choice(activation, "activation")
    c.schedule = try choice(schedule, "schedule")
    c.rank.lambda = try choice(lambdaSchedule, "lambda-schedule")
    c.pathsPerStep = paths; c.dataset = dataset; c.dataPath = data; c.validationSize = validationSize
    c.trainLimit = trainLimit; c.epochs = epochs; c.batchSize = batchSize; c.lr = lr; c.warmupEpochs = warmup
    c.weightDecay = weightDecay; c.momentum = momentum; c.nesterov = !noNesterov; c.clipNorm = clipNorm
    let bases = baseChannels.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !bases.isEmpty, bases.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw RDNASError.badInput("--base-channels '\(baseChannels)' must be positive integers separated by commas")
    }
    c.resnet.baseChannels = bases.map { $0! }
    c.resnet.channelDivisor = channelDivisor
    if competitionWidths { c.resnet.widthCodesPerStage = ResNetSpace.Config.competitionWidthCodes }
    c.nb201.C = nb201C; c.nb201.N = nb201N
    c.initFrom = initFrom
    c.rank.proxy = proxy; c.rank.pairs = pairs; c.rank.lambdaMax = lambdaMax; c.rank.margin = margin
    c.rank.symmetric = symmetric; c.rank.minDistance = minDistance; c.rank.weightedDistance = weightedDistance
    c.rank.groundTruth = gt; c.rank.groundTruthColumn = gtColumn; c.rank.landmarks = landmarks
    c.rank.evalEveryEpochs = evalEvery; c.rank.evalImages = evalImages; c.rank.evalEverySteps = evalEverySteps
    c.logEvery = logEvery ?? 10
    return c
  }
}

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a weight-sharing supernet, watched live in the terminal monitor (or --headless).")

  @OptionGroup var options: TrainOptions
  @Flag(help: "Continue the run in <runs-dir>/<name> from its last checkpoint.") var resume = false
  @Flag(help: "No terminal UI: a progress line per logged step (attach later with `rdnas monitor`).") var headless = false
  @Flag(help: "Insist on the terminal monitor: fail (exit 2) instead of training headless when there is no terminal.")
  var monitor = false
  @Option(help: "On hang-up (SIGHUP, a dropped SSH connection): continue (train on headless; re-attach with `rdnas monitor`) | stop (save and stop).")
  var onHangup: HangupPolicy = .continue
  @OptionGroup var ui: UIFlags
  @OptionGroup var compute: ComputeOptions

  func run() throws {
    try runReportingErrors {
      guard !(headless && monitor) else { throw RDNASError.badInput("--headless and --monitor exclude each other") }
      compute.apply()
      var config = try options.makeConfig(threads: compute.threads)
      if !resume { config.precision = Precision.default }
      var headless = self.headless
      if !headless {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        if let missing = TerminalCheck.problem(term: term) {
          // Fail before any work for an explicit --monitor; otherwise behave like a command-line tool that
          // is not attached to a TTY (`| tee log`, nohup, batch jobs): carry on without the UI.
          guard !monitor else { throw RDNASError.badInput("no usable terminal (\(missing)); use --headless") }
          headless = true
          FileHandle.standardError.write(Data("rdnas: \(missing): training headless (attach with `rdnas monitor \(config.runDirectory)`)\n".utf8))
        } else {
          if options.logEvery == nil { config.logEvery = 1 }
          _ = try ui.loadTheme()
        }
      }
      let trainer = try Trainer(config: config, resume: resume, proxyScorer: ProxyScoring.scorer(config: config))
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
      if let g = ev.tauGroundTruth { line += String(format: " vs GT %.3f", g) }
      if let g = ev.tauGroundTruthByLoss { line += String(format: " (by loss %.3f)", g) }
      if let p = ev.tauProxy { line += String(format: "  vs proxy %.3f", p) }
      if let p = ev.tauPrevious { line += String(format: "  vs previous %.3f", p) }
      progress(line)
    case .checkpoint(let c):
      progress("checkpoint (\(c.reason)) \(c.path)")
    case .commandApplied(let c):
      progress(c.detail)
    case .finished(let f):
      progress(String(format: "%@ after %d steps, %.1f s", f.stopped ? "stopped" : "finished", f.step, f.seconds))
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
/// boundary; otherwise SIGHUP runs `onHangup` once and training goes on.
final class SignalStop: @unchecked Sendable {
  private var sources: [DispatchSourceSignal] = []
  private let queue = DispatchQueue(label: "rdnas.signals")
  private let hungUp = Atomic<Bool>(false)

  init(commands: CommandQueue, stopOnHangup: Bool = true, onHangup: @escaping @Sendable () -> Void = {}) {
    for sig in [SIGINT, SIGTERM, SIGHUP] {
      signal(sig, SIG_IGN)
      let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
      if sig == SIGHUP && !stopOnHangup {
        s.setEventHandler { [self] in
          let (first, _) = hungUp.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent)
          if first { onHangup() }
        }
      } else {
        s.setEventHandler { commands.send(.stop(save: true)) }
      }
      s.resume()
      sources.append(s)
    }
  }

  func cancel() {
    for s in sources { s.cancel() }
    for sig in [SIGINT, SIGTERM] { signal(sig, SIG_DFL) }
    if !hungUp.load(ordering: .sequentiallyConsistent) { signal(SIGHUP, SIG_DFL) }
  }
}
