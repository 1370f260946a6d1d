import ArgumentParser
import Collective
import Common
import Data
import Engine
import Foundation
import Ranking
import Search
import Supernet
import Synchronization
import Training

struct Standalone: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train each candidate from scratch and record its test accuracy (ground truth).",
    usage: """
      rdnas standalone --space nb201 --archs candidates.json --out ground-truth.json --epochs 10
      rdnas standalone --space resnet --archs candidates.json --out gt-0.json --shard 0/4 --save-weights weights/
      mpirun -np 4 rdnas standalone --space nb201 --archs candidates.json --out ground-truth.json
      rdnas standalone --init-from exported/rd-best --out rd-best-finetuned.json --epochs 5 --lr 0.01 --save-weights rd-best-ft/
      """,
    discussion: "Resumable: finished candidates are kept in <out>.partial.json (under mpirun, one "
      + "<out>.partial.rank<r>.json per rank) and skipped after a restart, with any number of ranks; the candidate "
      + "in training is saved in <out>.checkpoints/<key>.safetensors at every epoch end, every 10 minutes and on "
      + "SIGINT/SIGTERM (exit 130), and resumed at that step, ending as an uninterrupted run would. "
      + "Trains on the whole training set (no validation split) and reports top-1 on the official test split. "
      + "With --init-from, fine-tunes one network exported by `rdnas export` instead (its space and code come "
      + "from the export; --save-weights then writes the fine-tuned export).")

  @Option(help: "Candidates JSON.") var archs: String?
  @Option(help: "Fine-tune the subnet exported in this folder by `rdnas export` (instead of --archs).") var initFrom: String?
  @Option(help: "Output JSON (acc = top-1 on the official test split).") var out: String
  @Option(help: "Train only shard i/n.") var shard: String?
  @Option(help: "Save each trained network's weights in this folder (for --init-from).") var saveWeights: String?
  @Option(help: ArgumentHelp("Also measure test accuracy after these epochs (comma-separated, each below --epochs).",
                             discussion: "Recorded as acc@<e> and loss@<e> beside the final score: the order of the "
                               + "candidates at several points of one schedule (not of shorter schedules: the rate has "
                               + "not annealed there)."))
  var evalAt: String?
  @OptionGroup(title: "Search space") var space: SpaceOptions
  @OptionGroup(title: "Network") var network: NetworkOptions
  @OptionGroup(title: "Optimiser") var optimizer: OptimizerOptions
  @OptionGroup(title: "Data") var data: StandaloneDataOptions
  @OptionGroup(title: "Randomness") var seed: SeedOption
  @OptionGroup(title: "Compute") var compute: ComputeOptions

  func run() throws {
    try runReportingErrors {
      let precision = try compute.apply().precision
      if let initFrom {
        guard archs == nil, shard == nil, evalAt == nil else {
          throw RDNASError.badInput("--init-from fine-tunes one exported network: give it without --archs, --shard and --eval-at")
        }
        try fineTune(exportDirectory: initFrom, precision: precision)
        return
      }
      guard let archs else {
        throw RDNASError.badInput("give --archs (candidates to train from scratch) or --init-from (an export to fine-tune)")
      }
      var config = TrainingConfig()
      config.seed = seed.seed; config.threads = compute.threads
      try self.space.apply(to: &config)
      try network.apply(to: &config)
      try optimizer.apply(to: &config)
      let ladder = try Self.parseEvalAt(evalAt, epochs: config.epochs)
      config.dataset = data.dataset; config.dataPath = data.data; config.trainLimit = data.trainLimit
      config.validationSize = 0
      let images = try RunData.load(&config)
      let test = try RunData.loadTest(config)
      let space = try config.makeSpace()
      let (table, all) = try Candidates.load(path: archs, space: space)
      let range = try shard.map { try Shard(parsing: $0).range(of: all.count) } ?? 0..<all.count
      // Under mpirun each rank trains a contiguous part of the range and keeps its own partial file; every
      // rank reads all partial files, so a restart with another number of ranks skips what any rank finished.
      let world = World.collective
      let partialPath = world.size > 1 ? out + ".partial.rank\(world.rank).json" : out + ".partial.json"
      let partials = StandalonePartials.paths(out: out)
      var done: [String: ScoreEntry] = [:]
      for p in partials {
        for e in try ScoreTable.loadCompetitionJSON(path: p).entries { done[e.key] = e }
      }
      if !done.isEmpty, world.isRoot {
        FileHandle.standardError.write(Data("resuming: \(done.count) candidates already trained\n".utf8))
      }
      var cfg = ClassifierTrainingConfig()
      cfg.epochs = config.epochs; cfg.batchSize = config.batchSize; cfg.lr = config.lr
      cfg.warmupEpochs = config.warmupEpochs; cfg.cosine = config.schedule == .cosine
      cfg.momentum = config.momentum; cfg.nesterov = config.nesterov; cfg.weightDecay = config.weightDecay
      cfg.seed = config.seed; cfg.augment = config.augment ?? (images.train.channels == 3)
      let mine = range[world.part(of: range.count).shifted(by: range.lowerBound)]
      let progressBar = world.isRoot ? ProgressLine(total: mine.count, label: world.size > 1 ? "standalone (rank 0)" : "standalone") : nil
      var finished: [ScoreEntry] = mine.compactMap { done[table.entries[$0].key] }
      // File order of every key, so results stay in the candidates' order without a search per entry.
      let position = Dictionary(uniqueKeysWithValues: table.entries.enumerated().map { ($1.key, $0) })
      // SIGINT/SIGTERM/SIGUSR1 (and SIGHUP unless ignored, as under nohup) save the network in training and stop.
      let stopRequested = Atomic<Bool>(false)
      let signals = SignalStop(signals: [SIGINT, SIGTERM, SIGUSR1] + (SignalStop.hangupIgnored ? [] : [SIGHUP]),
                               onStop: { stopRequested.store(true, ordering: .sequentiallyConsistent) })
      defer { signals.cancel() }
      let trainer = CandidateTraining(out: out, config: cfg, images: images, test: test, precision: precision,
                                      measureAfterEpochs: ladder, stopRequested: { stopRequested.load(ordering: .sequentiallyConsistent) },
                                      reportsResume: world.isRoot)
      for (n, i) in mine.enumerated() {
        let key = table.entries[i].key
        if done[key] != nil { continue }
        let net = try config.makeStandalone(all[i], space: space, seed: config.seed &+ UInt64(i))
        let result: CandidateTraining.Result
        do {
          result = try trainer.train(key: key, net: net, arch: all[i], archText: space.format(all[i]),
                                     networkSeed: config.seed &+ UInt64(i))
        } catch let stop as CandidateTraining.Stopped {
          // Exit 130 (interrupted), not 0: the ground truth is not written. Under mpirun a non-zero exit ends the
          // job, which every rank, stopped by the same forwarded signal, has saved for.
          progress("standalone stopped by a signal: \(key) saved at step \(stop.step) of \(stop.total) in "
            + "\(stop.path); \(finished.count) of \(mine.count) candidates finished; rerun the same command to resume")
          throw ExitCode(130)
        }
        var e = table.entries[i]
        e.score = result.accuracy
        e.extras = result.extras.merging(["epochs": String(config.epochs), "seed": String(config.seed)]) { a, _ in a }
        finished.append(e)
        finished.sort { position[$0.key, default: 0] < position[$1.key, default: 0] }
        try ScoreTable(entries: finished, source: partialPath).writeCompetitionJSON(path: partialPath)
        try trainer.finished(key: key)
        if let dir = saveWeights {
          try SafeTensors.write(net.store.all.map { ($0.name, .init(shape: $0.shape, values: $0.values)) },
                                metadata: ["arch": space.format(all[i]), "format": "pt"], path: "\(dir)/\(key).safetensors")
        }
        progressBar?.update(n + 1, String(format: "%@ acc %.4f", key, result.accuracy))
      }
      if world.size > 1 {
        let gathered = try world.allGather(finished.map(StandalonePartials.Entry.init))
        finished = gathered.flatMap { $0 }.map(\.scoreEntry)
        finished.sort { position[$0.key, default: 0] < position[$1.key, default: 0] }
      }
      guard world.isRoot else { return }
      try ScoreTable(entries: finished, source: out).writeCompetitionJSON(path: out)
      for p in StandalonePartials.paths(out: out) { try? FileManager.default.removeItem(atPath: p) }
      try? FileManager.default.removeItem(atPath: out + ".checkpoints")
      print("wrote \(finished.count) candidates to \(out)")
    }
  }
}

extension Standalone {
  /// `--eval-at 1,3`: the epochs after which a candidate is also measured, each in 1..<epochs (the last epoch is the
  /// score itself).
  static func parseEvalAt(_ text: String?, epochs: Int) throws -> Set<Int> {
    guard let text else { return [] }
    guard epochs >= 2 else { throw RDNASError.badInput("--eval-at needs --epochs 2 or more (the last epoch is always measured)") }
    var found = Set<Int>()
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      guard let e = Int(trimmed), (1..<epochs).contains(e) else {
        throw RDNASError.badInput("--eval-at '\(text)': give epochs from 1 to \(epochs - 1), comma-separated "
          + "(the last epoch, \(epochs), is always measured)")
      }
      found.insert(e)
    }
    return found
  }
}

/// The partial result files of a standalone run: `<out>.partial.json` and the per-rank ones of MPI runs.
enum StandalonePartials {
  static func paths(out: String) -> [String] {
    let url = URL(fileURLWithPath: out)
    let dir = url.deletingLastPathComponent().path, base = url.lastPathComponent
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0 == base + ".partial.json" || ($0.hasPrefix(base + ".partial.rank") && $0.hasSuffix(".json")) }
      .sorted().map { dir + "/" + $0 }
  }

  /// A finished candidate as it travels between ranks.
  struct Entry: Codable {
    var key: String, arch: String, score: Double, extras: [String: String]
    init(_ e: ScoreEntry) { key = e.key; arch = e.arch; score = e.score; extras = e.extras }
    var scoreEntry: ScoreEntry { ScoreEntry(key: key, arch: arch, score: score, extras: extras) }
  }
}

/// Standalone training uses the whole training set (no validation split), so it takes no --validation-size.
struct StandaloneDataOptions: ParsableArguments {
  @Option(help: "Dataset: fashion-mnist | mnist | cifar10 | folder.") var dataset = "fashion-mnist"
  @Option(help: "Dataset folder (default: the dataset's standard location).") var data: String?
  @Option(help: "Train on at most this many images.") var trainLimit: Int?
}
