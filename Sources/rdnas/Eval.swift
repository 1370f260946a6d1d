import ArgumentParser
import Collective
import Common
import Data
import Engine
import Foundation
import Ranking
import Search
import Supernet
import Training

struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate candidate architectures with weights inherited from a trained supernet.",
    usage: """
      rdnas eval --run runs/rd --archs candidates.json --out rd-eval.json --bn-recalibrate 5
      rdnas eval --run runs/rd --archs candidates.json --shard 0/4 --out rd-eval-0.json
      """,
    discussion: "Reads and writes the competition's JSON ({\"archN\": {\"acc\": …, \"arch\": \"<code>\"}}).")

  @Option(name: .customLong("run"), help: "Run folder of a trained supernet.") var runFolder: String
  @Option(help: "Checkpoint to load (default: <run>/checkpoints/last.safetensors).") var checkpoint: String?
  @Option(help: "Candidates JSON.") var archs: String
  @Option(help: "Output JSON (acc = top-1 on the validation split; loss added).") var out: String
  @Option(help: "Evaluate only shard i/n (contiguous chunks, as the reference).") var shard: String?
  @Option(help: "Recalibrate BN statistics on this many training batches per candidate (0 = off).") var bnRecalibrate = 0
  @Option(help: "Validation images to use (default: the whole validation split).") var images: Int?
  @Option(help: "Batch size.") var batchSize = 250
  @Option(help: "NB201 benchmark CSV, to accept benchmark indices as arch values.") var nb201Index: String?
  @OptionGroup(title: "Compute") var compute: ComputeOptions

  func run() throws {
    try runReportingErrors {
      let precision = try compute.apply().precision
      var config = try RunFolder.readConfig(runDirectory: self.runFolder)
      let ckpt = checkpoint ?? RunFolder(path: self.runFolder).lastCheckpointPath
      guard FileManager.default.fileExists(atPath: ckpt) else {
        throw RDNASError.badInput("\(self.runFolder) has no checkpoint (\(ckpt)); train it first")
      }
      let data = try RunData.load(&config)
      let space = try config.makeSpace()
      let net = try config.makeSupernet(space: space)
      try Checkpoint.restoreWeights(try Checkpoint.load(path: ckpt), into: net.store, path: ckpt)
      let index = try nb201Index.map { try NB201BenchmarkIndex(csvPath: $0) }
      let (table, all) = try Candidates.load(path: archs, space: space, nb201Index: index)
      let range = try shard.map { try Shard(parsing: $0).range(of: all.count) } ?? 0..<all.count
      let val = images.map { data.validation.subset(Array(0..<min($0, data.validation.count))) } ?? data.validation
      let loader = try BatchLoader(dataset: val, batchSize: batchSize, shuffle: false, dropLast: false,
                                   augmentation: .none, normalization: data.normalization, seed: 0)
      let calib = bnRecalibrate > 0
        ? try BatchLoader(dataset: data.train, batchSize: config.batchSize, shuffle: true, dropLast: true,
                          augmentation: .none, normalization: data.normalization, seed: config.seed &+ 99)
        : nil
      var evaluator = CandidateEvaluator(net: net, validation: loader, calibration: calib, calibrationBatches: bnRecalibrate)
      evaluator.precision = precision
      // Under mpirun each rank scores a contiguous part of the range (a candidate's score depends only on
      // the candidate, never on what was scored before it) and rank 0 writes them all in input order.
      let world = World.collective
      let mine = range[world.part(of: range.count).shifted(by: range.lowerBound)]
      let progress = world.isRoot ? ProgressLine(total: mine.count, label: world.size > 1 ? "eval (rank 0)" : "eval") : nil
      var results: [[Double]] = []
      for (n, i) in mine.enumerated() {
        let r = try evaluator.evaluate(all[i])
        results.append([r.accuracy, r.loss])
        progress?.update(n + 1, String(format: "last acc %.4f", r.accuracy))
      }
      if world.size > 1 { results = try world.allGather(results).flatMap { $0 } }
      guard world.isRoot else { return }
      let entries = zip(range, results).map { i, r in
        var e = table.entries[i]
        e.score = r[0]
        e.extras["loss"] = String(format: "%.6f", r[1])
        return e
      }
      // Written only when complete, atomically: an interrupted evaluation leaves no output behind.
      try ScoreTable(entries: entries, source: out).writeCompetitionJSON(path: out)
      print("wrote \(entries.count) candidates to \(out)")
    }
  }
}

struct Split: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Split a candidates JSON into n shard files.",
    usage: "rdnas split --archs candidates.json --shards 4 --out-dir shards/")
  @Option(help: "Candidates JSON.") var archs: String
  @Option(help: "Number of shards.") var shards: Int
  @Option(help: "Output folder.") var outDir: String

  func run() throws {
    try runReportingErrors {
      guard shards >= 1 else { throw RDNASError.badInput("--shards must be at least 1") }
      let table = try ScoreTable.loadCompetitionJSON(path: archs)
      try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
      let stem = URL(fileURLWithPath: archs).deletingPathExtension().lastPathComponent
      for i in 0..<shards {
        let r = Shard(index: i, count: shards).range(of: table.count)
        let path = "\(outDir)/\(stem)_\(shards)_\(i).json"
        try ScoreTable(entries: Array(table.entries[r]), source: path).writeCompetitionJSON(path: path)
        print("\(path): \(r.count) candidates")
      }
    }
  }
}

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Join shard outputs into one JSON (file order kept).",
    usage: "rdnas merge shards/eval-0.json shards/eval-1.json --out eval.json")
  @Argument(help: "Shard JSON files.") var inputs: [String]
  @Option(help: "Output JSON.") var out: String

  func run() throws {
    try runReportingErrors {
      guard !inputs.isEmpty else { throw RDNASError.badInput("give the shard files to merge") }
      var entries: [ScoreEntry] = []
      for p in inputs { entries += try ScoreTable.loadCompetitionJSON(path: p).entries }
      // ScoreTable refuses duplicate keys or archs, so overlapping shards are an error, not a silent merge.
      let merged = try ScoreTable(entries: entries, source: out)
      try merged.writeCompetitionJSON(path: out)
      print("wrote \(merged.count) candidates to \(out)")
    }
  }
}
