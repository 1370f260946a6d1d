import ArgumentParser
import Common
import Foundation
import Ranking
import Search
import Training

struct Sample: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write distinct uniformly sampled architectures as a candidates JSON (acc 0).",
    usage: """
      rdnas sample --space nb201 --count 100 --out candidates.json
      rdnas sample --space resnet --count 36 --stratify-flops --seed 4 --out candidates.json
      """)
  @Option(help: "How many.") var count = 50
  @Flag(help: "Sort by FLOPs and keep an even spread (stratified by FLOPs) instead of plain uniform.") var stratifyFlops = false
  @Option(help: "Output JSON.") var out: String
  @OptionGroup(title: "Search space") var space: SpaceOptions
  @OptionGroup(title: "Randomness") var seed: SeedOption

  func run() throws {
    try runReportingErrors {
      var config = TrainingConfig()
      config.seed = seed.seed
      try self.space.apply(to: &config)
      let space = try config.makeSpace()
      var rng = RandomSource(seed: config.seed)
      var seen = Set<Encoding>(), archs: [Encoding] = []
      let want = stratifyFlops ? count * 20 : count
      var tries = 0
      while archs.count < want && tries < want * 50 {
        let a = space.sample(using: &rng)
        if seen.insert(a).inserted { archs.append(a) }
        tries += 1
      }
      guard archs.count >= count else { throw RDNASError.badInput("the space has fewer than \(count) distinct architectures") }
      if stratifyFlops {
        archs.sort { space.flops($0) < space.flops($1) }
        archs = (0..<count).map { archs[$0 * (archs.count - 1) / max(1, count - 1)] }
      }
      let entries = archs.enumerated().map { i, a in ScoreEntry(key: "arch\(i + 1)", arch: space.format(a), score: 0) }
      try ScoreTable(entries: entries, source: out).writeCompetitionJSON(path: out)
      print("wrote \(count) \(space.name) architectures to \(out)")
    }
  }
}
