import ArgumentParser
import Common
import Ranking
import RunEvents

// The option groups of `rdnas search`, one per concern.

/// How candidates are proposed and how many.
struct SearchMethodOptions: ParsableArguments {
  @Option(help: "Search method: evolution (SPOS-style) | random (the baseline).") var method: SearchMethod = .evolution
  @Option(help: "Generations (a resumed search may be given more).") var generations = 10
  @Option(help: "Candidates evaluated per generation.") var population = 20
  @Option(help: "Evolution: parents are the best N evaluated so far.") var parents = 5
  @Option(help: "Evolution: per-gene mutation probability.") var mutationRate = 0.1
  @Option(help: "Seed of the search.") var seed: UInt64 = 0
  @Option(help: ArgumentHelp("Pre-filter candidates by a zero-cost proxy (flops, params, swap, naswot, ..., file:PATH): "
                             + "propose --prefilter-factor × population, score the best --population by the supernet.",
                             valueName: "proxy"))
  var prefilter: String?
  @Option(help: "With --prefilter: candidates proposed per supernet evaluation.") var prefilterFactor = 4

  func settings() -> SearchSettings {
    var s = SearchSettings()
    s.method = method; s.generations = generations; s.population = population; s.parents = parents
    s.mutationRate = mutationRate; s.seed = seed
    s.prefilter = prefilter.map { SearchSettings.Prefilter(proxy: $0, factor: prefilterFactor) }
    return s
  }
}

/// Resource bounds on the analytic cost of a candidate.
struct ConstraintOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Maximum FLOPs (e.g. 40M, 1.2G).", valueName: "flops")) var flopsMax: String?
  @Option(help: ArgumentHelp("Minimum FLOPs.", valueName: "flops")) var flopsMin: String?
  @Option(help: ArgumentHelp("Maximum parameters (e.g. 500k).", valueName: "count")) var paramsMax: String?
  @Option(help: ArgumentHelp("Minimum parameters.", valueName: "count")) var paramsMin: String?

  func constraints() throws -> CostConstraints {
    try CostConstraints(flopsMin: flopsMin.map { try amount($0, "flops-min") },
                        flopsMax: flopsMax.map { try amount($0, "flops-max") },
                        paramsMin: paramsMin.map { Int(try amount($0, "params-min")) },
                        paramsMax: paramsMax.map { Int(try amount($0, "params-max")) })
  }

  /// A non-negative number with an optional k, M or G suffix.
  func amount(_ text: String, _ flag: String) throws -> Double {
    let scale: [Character: Double] = ["k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9]
    var body = Substring(text), factor = 1.0
    if let last = body.last, let f = scale[last] { factor = f; body = body.dropLast() }
    guard let x = Double(body), x.isFinite, x >= 0 else {
      throw RDNASError.badInput("--\(flag) '\(text)' is not a non-negative number (suffixes k, M, G allowed)")
    }
    return x * factor
  }
}

/// How a candidate is scored with the supernet's inherited weights.
struct CandidateScoringOptions: ParsableArguments {
  @Option(help: "Checkpoint to load (default: <run>/checkpoints/last.safetensors).") var checkpoint: String?
  @Option(help: "Score: accuracy | loss (−validation loss).") var scoreBy: SearchScore = .accuracy
  @Option(help: "Recalibrate BN statistics on this many training batches per candidate (0 = off).") var bnRecalibrate = 5
  @Option(help: "Validation images to use (default: the whole validation split).") var images: Int?
  @Option(help: "Batch size.") var batchSize = 250
}

enum SearchScore: String, CaseIterable, ExpressibleByArgument { case accuracy, loss }
extension SearchMethod: ExpressibleByArgument {}
