import ArgumentParser
import Collective
import Common
import Data
import Engine
import Foundation
import Ranking
import RunEvents
import Search
import Supernet
import Training

struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search a trained supernet for the best architectures under FLOPs and parameter bounds.",
    usage: """
      rdnas search --run runs/rd --flops-max 40M --generations 20 --population 50 --top 10
      rdnas search --run runs/rd --method random --flops-max 40M --generations 20 --population 50
      """,
    discussion: """
      Writes <run>/search/<name>/: state.json (resumable: run the same command again, with more \
      --generations to go further), events.jsonl, top.json (competition format) and pareto.svg. In a terminal \
      the monitor shows the search live (Pareto front, best so far; p pauses, q stops after the candidate being \
      scored); --headless prints a line per generation, and `rdnas monitor <run>/search/<name>` attaches.
      """)

  @Option(name: .customLong("run"), help: "Run folder of a trained supernet.") var runFolder: String
  @Option(help: "Search name: outputs go to <run>/search/<name>/ (default: the method).") var name: String?
  @Option(help: "Candidates written to top.json.") var top = 10
  @OptionGroup(title: "Search") var method: SearchMethodOptions
  @OptionGroup(title: "Constraints") var bounds: ConstraintOptions
  @OptionGroup(title: "Scoring") var scoring: CandidateScoringOptions
  @OptionGroup(title: "Compute") var compute: ComputeOptions
  @Flag(help: "No terminal UI: a line per generation (attach with `rdnas monitor <run>/search/<name>`).") var headless = false
  @Flag(help: "Insist on the terminal monitor: fail instead of searching headless when there is no terminal.") var monitor = false
  @OptionGroup(title: "Monitor") var ui: UIFlags

  func run() throws {
    try runReportingErrors {
      guard !(headless && monitor) else { throw RDNASError.badInput("--headless and --monitor exclude each other") }
      let precision = try compute.apply().precision
      guard top >= 1 else { throw RDNASError.badInput("--top must be at least 1") }
      var config = try RunFolder.readConfig(runDirectory: runFolder)
      var settings = method.settings()
      settings.constraints = try bounds.constraints()
      settings.scoreBy = scoring.scoreBy.rawValue
      try settings.validate()
      // Constraints are checked against the space before any data is read: a bad bound costs nothing.
      let space = try config.makeSpace()
      try settings.constraints.checkFeasible(in: space)

      let folder = SearchFolder(runFolder: runFolder, name: name ?? settings.method.rawValue)
      let state = try resumedState(folder, settings: settings, space: space)
      var search = try ArchitectureSearch(space: space, state: state)
      if let p = settings.prefilter {
        // The trainer's prior cache: FLOPs/params/file tables built in, other proxies on one seeded batch.
        let priors = PriorCache(space: space, scorer: ProxyScoring.scorer(config: config), seed: config.seed)
        var probe = RandomSource(seed: 0)
        _ = try priors.prior(p.proxy, space.sample(using: &probe))  // a bad proxy fails here, in one line
        search.prefilterScore = { try? priors.prior(p.proxy, $0) }
      }
      let world = World.collective
      if search.state.isFinished {
        if world.isRoot { try report(search, folder) }
        return
      }

      let ckpt = scoring.checkpoint ?? RunFolder(path: runFolder).lastCheckpointPath
      guard FileManager.default.fileExists(atPath: ckpt) else {
        throw RDNASError.badInput("\(runFolder) has no checkpoint (\(ckpt)); train it first")
      }
      let data = try RunData.load(&config)
      let net = try config.makeSupernet(space: space)
      try Checkpoint.restoreWeights(try Checkpoint.load(path: ckpt), into: net.store, path: ckpt)
      let evaluator = try makeEvaluator(net: net, data: data, config: config, precision: precision)

      let session = SearchSession(search: search, folder: folder, evaluator: evaluator, world: world, top: top,
                                  scoreByLoss: scoring.scoreBy == .loss)
      // The monitor needs a terminal and one process (under mpirun rank 0's stdout is a pipe).
      var headless = self.headless || world.size > 1
      if !headless, let missing = TerminalCheck.problem(term: ProcessInfo.processInfo.environment["TERM"] ?? "") {
        guard !monitor else { throw RDNASError.badInput("no usable terminal (\(missing)); use --headless") }
        headless = true
      }
      if headless {
        session.onGeneration = { s, seconds in printGeneration(s, seconds: seconds) }
        let signals = SignalStop(commands: session.commands)
        defer { signals.cancel() }
        try session.run()
      } else {
        try runSearchWithMonitor(session, ui: ui)
      }
      if world.isRoot {
        if session.stopped {
          print("search stopped after \(session.search.state.evaluated.count) evaluations; run the same command to resume")
        }
        try report(session.search, folder)
      }
    }
  }

  /// The saved state when this search was started before with the same settings (more generations allowed);
  /// a fresh one otherwise.
  func resumedState(_ folder: SearchFolder, settings: SearchSettings, space: any SearchSpace) throws -> SearchState {
    guard var saved = try folder.loadState() else { return SearchState(settings: settings, space: space.name) }
    var comparable = saved.settings
    comparable.generations = settings.generations
    guard comparable == settings else {
      throw RDNASError.badInput("\(folder.path) holds a search with other settings; give another --name "
        + "or the same options (only --generations may change)")
    }
    saved.settings.generations = settings.generations
    if saved.generation < settings.generations, !saved.exhausted, World.collective.isRoot {
      print("resuming \(folder.path) after generation \(saved.generation) (\(saved.evaluated.count) evaluated)")
    }
    return saved
  }

  func makeEvaluator(net: Supernet, data: RunData, config: TrainingConfig, precision: Precision) throws -> CandidateEvaluator {
    let val = scoring.images.map { data.validation.subset(Array(0..<min($0, data.validation.count))) } ?? data.validation
    let loader = try BatchLoader(dataset: val, batchSize: scoring.batchSize, shuffle: false, dropLast: false,
                                 augmentation: .none, normalization: data.normalization, seed: 0)
    let calib = scoring.bnRecalibrate > 0
      ? try BatchLoader(dataset: data.train, batchSize: config.batchSize, shuffle: true, dropLast: true,
                        augmentation: .none, normalization: data.normalization, seed: config.seed &+ 99)
      : nil
    var evaluator = CandidateEvaluator(net: net, validation: loader, calibration: calib, calibrationBatches: scoring.bnRecalibrate)
    evaluator.precision = precision
    return evaluator
  }

  func printGeneration(_ search: ArchitectureSearch, seconds: Double) {
    let s = search.state
    let best = s.ranked().first
    print(String(format: "generation %d/%d: %d evaluated (%d in all), best %.4f, Pareto front %d, %.1f s",
                 s.generation, s.settings.generations, s.lastGeneration.count, s.evaluated.count,
                 best?.score ?? .nan, ParetoFront.of(s.evaluated).count, seconds))
  }

  func report(_ search: ArchitectureSearch, _ folder: SearchFolder) throws {
    let s = search.state
    try folder.writeOutputs(s, space: search.space, top: top)
    if s.exhausted { print("the space has no more admitted architectures to propose; search stopped early") }
    if let best = s.ranked().first {
      print(String(format: "best %@ (score %.4f, %.2f MFLOPs, %d params) of %d evaluated", search.space.format(best.arch),
                   best.score, best.flops / 1e6, best.params, s.evaluated.count))
    }
    print("wrote \(folder.topPath) and \(folder.paretoPath)")
  }
}
