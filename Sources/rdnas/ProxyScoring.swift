import ArgumentParser
import Collective
import Common
import Foundation
import Data
import Engine
import Ranking
import Search
import Training

/// Wires the zero-cost proxies into the trainer's prior cache (FLOPs/params are built in). Data-dependent
/// proxies get one fixed batch of the run's training data (seeded), so a prior never changes within a run.
enum ProxyScoring {
  static func scorer(config: TrainingConfig) -> PriorCache.Scorer? {
    var cfg = config
    let seed = config.seed
    var batch: ProxyBatch?
    var loaded = false
    return { name, arch, space in
      let proxy = try ZeroCostProxies.make(name: name)
      if proxy.isDataDependent, !loaded {
        loaded = true
        batch = try proxyBatch(config: &cfg, count: 64, seed: seed)
      }
      return try proxy.score(arch: arch, space: space, batch: batch, seed: seed)
    }
  }

  /// `count` training images of the run's dataset (normalised like training) as a proxy batch.
  static func proxyBatch(config: inout TrainingConfig, count: Int, seed: UInt64) throws -> ProxyBatch {
    let data = try RunData.load(&config)
    let loader = try BatchLoader(dataset: data.train, batchSize: count, shuffle: true, dropLast: false,
                                 augmentation: .none, normalization: data.normalization, seed: seed)
    guard let b = loader.epoch(0).makeIterator().next() else {
      throw RDNASError.badInput("no training images for a proxy batch")
    }
    return try ProxyBatch(shape: Shape(b.count, b.channels, b.height, b.width), values: b.x, labels: b.y)
  }
}

struct Proxy: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Score architectures with zero-cost proxies (flops, params, zen, synflow, naswot, gradnorm, snip).",
    usage: """
      rdnas proxy --space nb201 --all --proxies flops,params,synflow --out proxies.csv
      rdnas proxy --space resnet --archs candidates.json --proxies zen --out zen.json
      """,
    discussion: "Writes a CSV (arch + one column per proxy) or, with a .json --out, one competition-format JSON per proxy. "
      + "Data-dependent proxies (naswot, gradnorm, snip) score one seeded batch of the dataset's training images.")

  @Option(help: "Comma-separated proxies.") var proxies = "flops,params,synflow"
  @Option(help: "Candidates JSON to score.") var archs: String?
  @Flag(help: "Score every architecture of the space (nb201: all 15,625 cells).") var all = false
  @Option(help: "Images in the batch of data-dependent proxies.") var batchImages = 64
  @Option(help: "Re-initialisations SWAP averages over (the paper uses 32; 4 by default here, 1 to score a whole space quickly).") var swapRepeats: Int?
  @Option(help: "Samples SWAP lays out as pattern columns (the paper's 16; at most 64 and at most --batch-images).") var swapSamples: Int?
  @Option(help: "Output file (.csv, or .json for a single proxy).") var out: String
  @OptionGroup(title: "Search space") var space: SpaceOptions
  @OptionGroup(title: "Data") var data: DataOptions
  @OptionGroup(title: "Randomness") var seed: SeedOption
  @OptionGroup(title: "Compute") var compute: ComputeOptions

  func run() throws {
    try runReportingErrors {
      // Proxies score in fp32 on every CPU (a score must not depend on where it was computed): no precision
      // to measure or choose, only threads; an explicit bf16 request is answered, not silently ignored.
      compute.applyThreads()
      if compute.precision == .bf16 {
        FileHandle.standardError.write(Data("rdnas: note: zero-cost proxies are scored in fp32; --precision bf16 has no effect here\n".utf8))
      }
      var config = TrainingConfig()
      config.seed = seed.seed; config.threads = compute.threads
      try self.space.apply(to: &config)
      data.apply(to: &config)
      var list = try ZeroCostProxies.make(list: proxies)
      if let swapRepeats, swapRepeats < 1 { throw RDNASError.badInput("--swap-repeats must be at least 1") }
      if let swapSamples, !(1...64).contains(swapSamples) || swapSamples > batchImages {
        throw RDNASError.badInput("--swap-samples must be 1 to 64 and at most --batch-images (\(batchImages))")
      }
      // SWAP's own settings, where given, replace its defaults; other proxies pass through.
      list = list.map { p in
        guard var swap = p as? SWAP else { return p }
        if let swapRepeats { swap.repeats = swapRepeats }
        if let swapSamples { swap.samples = swapSamples }
        return swap
      }
      let needsData = list.contains { $0.isDataDependent }
      let batch = needsData ? try ProxyScoring.proxyBatch(config: &config, count: batchImages, seed: config.seed) : nil
      if !needsData { _ = try? RunData.load(&config) }  // input shape and classes of the dataset, when present
      let space = try config.makeSpace()
      var keys: [String] = [], archList: [Encoding] = []
      if all {
        guard let nb = space as? NB201Space else { throw RDNASError.badInput("--all enumerates the nb201 space only") }
        archList = nb.enumerateAll()
        keys = archList.indices.map { "arch\($0 + 1)" }
      } else if let archs {
        let (table, parsed) = try Candidates.load(path: archs, space: space)
        keys = table.keys
        archList = parsed
      } else {
        throw RDNASError.badInput("give --archs FILE or --all")
      }
      if out.hasSuffix(".json"), list.count != 1 {
        throw RDNASError.badInput("a .json output holds one proxy; use .csv for several")
      }
      let scorer = try ProxyScorer(proxies: list, space: space, batch: batch, seed: config.seed)
      // Under mpirun each rank scores a contiguous part (a score depends only on its architecture and the
      // seed); rank 0 gathers the parts in order and writes them.
      let world = World.collective
      let mine = Array(archList[world.part(of: archList.count)])
      let progress = world.isRoot ? ProgressLine(total: mine.count * list.count, label: "proxy") : nil
      var done = 0
      let scores = try scorer.score(mine) { p in
        done += 1
        progress?.update(done, "\(p.proxy)")
      }
      var values = scores.values
      if world.size > 1 {
        let parts = try world.allGather(values)
        values = Dictionary(uniqueKeysWithValues: list.map { p in (p.name, parts.flatMap { $0[p.name] ?? [] }) })
      }
      guard world.isRoot else { return }
      if out.hasSuffix(".json") {
        let v = values[list[0].name]!
        let entries = archList.indices.map { ScoreEntry(key: keys[$0], arch: space.format(archList[$0]), score: v[$0]) }
        try ScoreTable(entries: entries, source: out).writeCompetitionJSON(path: out)
      } else {
        var text = "key,arch," + list.map(\.name).joined(separator: ",") + "\n"
        for i in archList.indices {
          text += "\(keys[i]),\(space.format(archList[i])),"
            + list.map { String(values[$0.name]![i]) }.joined(separator: ",") + "\n"
        }
        try AtomicFile.write(Data(text.utf8), to: out)
      }
      for p in list {
        let who = world.size > 1 ? " (rank 0 of \(world.size))" : ""
        FileHandle.standardError.write(Data(String(format: "%@: %.1f archs/s%@\n", p.name, scores.rate(p.name), who).utf8))
      }
      print("wrote \(archList.count) architectures × \(list.count) proxies to \(out)")
    }
  }
}
