import Foundation
import Collective
import Common
import Data
import Engine
import Ranking
import Search

/// Live rank correlation: a fixed set of landmark architectures (stratified over the ground truth's
/// accuracy range when one is given, else random; seeded) is evaluated with inherited weights on a fixed
/// validation subset every few epochs, and Kendall τ is reported against the ground truth, against the
/// guiding proxy, and against the previous evaluation (ranking stability).
final class LandmarkTracker {
  let set: LandmarkSet
  let archs: [Encoding]
  unowned let trainer: Trainer
  /// The fixed validation subset, loaded once: every evaluation scores all landmarks on it.
  let batches: [Batch]

  init?(trainer: Trainer) throws {
    let cfg = trainer.config.rank
    guard cfg.groundTruth != nil || cfg.proxy != nil else { return nil }
    self.trainer = trainer
    let space = trainer.space
    var rng = RandomSource(seed: trainer.config.seed ^ 0x1A4D)
    var chosen: [Encoding] = [], gt: [Double]?
    if let path = cfg.groundTruth {
      let table = try GroundTruth.load(path: path, column: cfg.groundTruthColumn)
      var parsed: [(Encoding, Double)] = []
      for e in table.entries { if let a = try? space.parse(e.arch) { parsed.append((a, e.score)) } }
      guard parsed.count >= cfg.landmarks else {
        throw RDNASError.badInput("\(path): only \(parsed.count) entries parse in the \(space.name) space; need \(cfg.landmarks) landmarks")
      }
      parsed.sort { $0.1 < $1.1 }
      // One landmark per equal-count stratum of the accuracy-sorted table.
      for s in 0..<cfg.landmarks {
        let lo = s * parsed.count / cfg.landmarks, hi = (s + 1) * parsed.count / cfg.landmarks
        chosen.append(parsed[lo + rng.uniform(below: max(1, hi - lo))].0)
      }
      let lookup = Dictionary(parsed.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
      gt = chosen.map { lookup[$0]! }
    } else {
      var seen = Set<Encoding>()
      var tries = 0
      while chosen.count < cfg.landmarks && tries < cfg.landmarks * 100 {
        let a = space.sample(using: &rng)
        if seen.insert(a).inserted { chosen.append(a) }
        tries += 1
      }
    }
    archs = chosen
    // A teacher that scores only a rank pool has no prior for the landmarks; the set then carries FLOPs, named
    // as such, and τ vs proxy is left out of the evaluations.
    var proxy = trainer.state.proxy ?? "flops"
    let flops = chosen.map { space.flops($0) }
    let prior: [Double]
    if let p = try Self.priors(trainer, proxy, chosen) { prior = p } else { proxy = "flops"; prior = flops }
    set = LandmarkSet(archs: chosen.map { space.format($0) }, groundTruth: gt, prior: prior, proxy: proxy,
                      flops: flops, params: chosen.map { space.params($0) })
    let images = min(cfg.evalImages, trainer.validation.count)
    let loader = try BatchLoader(dataset: trainer.validation.subset(Array(0..<images)), batchSize: 250, shuffle: false,
                                 dropLast: false, augmentation: .none, normalization: trainer.normalization, seed: 0)
    batches = Array(loader.epoch(0))
  }

  /// `proxy`'s prior of every landmark, or nil when it is a table teacher missing some of them.
  static func priors(_ trainer: Trainer, _ proxy: String, _ archs: [Encoding]) throws -> [Double]? {
    guard try archs.allSatisfy({ try trainer.priors.covers(proxy, $0) }) else { return nil }
    return try archs.map { try trainer.priors.prior(proxy, $0) }
  }

  /// Scores every landmark; in a data-parallel run each rank scores its contiguous part and all ranks
  /// gather the results in landmark order, so every rank computes the same record (and state).
  func evaluate(step: Int, epoch: Int) throws -> EvaluationRecord {
    let net = trainer.net
    let collective = trainer.collective
    trainer.synchroniseStatistics()
    let precision = trainer.context.precision
    let mine = archs[collective.part(of: archs.count)].map { arch in
      let r = ClassifierEvaluation.evaluate(batches: batches, precision: precision) { t, x in net.logits(t, x, arch: arch) }
      return [r.accuracy, r.loss]
    }
    let results = trainer.isParallel ? try collective.allGather(mine).flatMap { $0 } : mine
    let acc = results.map { $0[0] }, losses = results.map { $0[1] }
    let tauGT = try set.groundTruth.map { try KendallTau.tauB(acc, $0) }
    let tauGTLoss = try set.groundTruth.map { try KendallTau.tauB(losses.map { -$0 }, $0) }
    let proxy = trainer.state.proxy ?? set.proxy
    let prior = try Self.priors(trainer, proxy, archs)
    // τ vs proxy and vs the previous evaluation follow the run's score, so what the monitor shows live is
    // what the benchmark reports.
    let scoreBy = trainer.config.rank.scoreBy ?? .accuracy
    let score = scoreBy == .loss ? losses.map { -$0 } : acc
    let tauProxy = try prior.map { try KendallTau.tauB(score, $0) }
    let tauPrev = try trainer.state.previousLandmarkAccuracies.map { try KendallTau.tauB(score, $0) }
    trainer.state.previousLandmarkAccuracies = score
    return EvaluationRecord(step: step, epoch: epoch, accuracies: acc, tauGroundTruth: tauGT, tauProxy: tauProxy,
                            tauPrevious: tauPrev, losses: losses, tauGroundTruthByLoss: tauGTLoss,
                            scoreBy: scoreBy.rawValue)
  }
}
