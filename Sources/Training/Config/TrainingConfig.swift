import Foundation
import Common
import Engine
import Search
import Supernet

/// Every option of a supernet training run. Written whole to `runs/<name>/config.json` and into every
/// checkpoint, so a run can be reproduced or resumed from its folder alone.
public struct TrainingConfig: Codable, Sendable, Equatable {
  // Run
  public var name = "run"
  public var runsDirectory = "runs"
  public var seed: UInt64 = 0
  public var threads: Int?
  /// Convolution precision (nil = fp32; optional so run folders written before it still decode).
  public var precision: Precision?

  // Search space and supernet
  public var space = "resnet"
  public var resnet = ResNetSpace.Config()
  public var nb201 = NB201Space.Config()
  public var activation = OuterActivation.relu
  /// A checkpoint of the largest subnet to start from (mid channels reordered by importance).
  public var initFrom: String?
  /// Another run's checkpoint this run branches from: its weights, momentum buffers, step, epoch and sampler
  /// state, with this run's own options from there on. A branch at the end of a shared SPOS phase compares two
  /// distillation phases on the same supernet, paired, for the cost of the phases alone.
  public var branchFrom: String?

  // Data
  public var dataset = "fashion-mnist"
  public var dataPath: String?
  public var validationSize = 5000
  /// Use only the first N training images (after the validation split); nil = all.
  public var trainLimit: Int?
  public var augment: Bool?
  public var cacheDirectory: String?

  // Optimisation
  public var strategy = Strategy.sandwich
  /// Paths per step: SPOS uses this many uniform paths; sandwich uses largest + smallest + (n − 2) random;
  /// FairNAS uses one strict-fairness group (ignores this); OFA uses this many.
  public var pathsPerStep = 4
  public var distillation = DistillationKind.kd
  public var epochs = 5
  public var batchSize = 64
  public var lr: Float = 0.05
  public var warmupEpochs: Double = 0
  public var schedule = ScheduleKind.cosine
  public var minLR: Float = 0
  public var momentum: Float = 0.9
  public var nesterov = true
  public var weightDecay: Float = 5e-4
  public var clipNorm: Double?

  // Ranking distillation (nil proxy: off)
  public var rank = RankLossConfig()

  // Logging and checkpoints
  public var logEvery = 10
  public var checkpointEveryEpochs = 1
  /// `last.safetensors` between epoch ends (nil: `CheckpointCadence.standard`; optional so older
  /// config.json files still decode).
  public var checkpointEvery: CheckpointCadence?
  /// Keep only the newest K `epoch-NNN.safetensors` files (nil: keep all).
  public var keepCheckpoints: Int?

  public init() {}

  public enum Strategy: String, Codable, Sendable, CaseIterable { case spos, fairnas, sandwich, ofa }
  public enum DistillationKind: String, Codable, Sendable, CaseIterable { case kd, alpha }
  public enum ScheduleKind: String, Codable, Sendable, CaseIterable { case cosine, constant, step }

  public var runDirectory: String { runsDirectory + "/" + name }

  /// The search space this config describes, with the dataset's input shape and classes filled in.
  public func makeSpace() throws -> any SearchSpace {
    try makeSearchSpace(name: space, resnet: resnet, nb201: nb201)
  }

  public func validate() throws {
    guard epochs >= 1 else { throw RDNASError.badInput("--epochs must be at least 1 (got \(epochs))") }
    guard batchSize >= 2 else { throw RDNASError.badInput("--batch-size must be at least 2 (BN needs a batch)") }
    guard lr > 0, lr.isFinite else { throw RDNASError.badInput("--lr must be positive (got \(lr))") }
    guard pathsPerStep >= 1 else { throw RDNASError.badInput("--paths must be at least 1") }
    if strategy == .sandwich, pathsPerStep < 2 {
      throw RDNASError.badInput("the sandwich rule needs --paths ≥ 2 (largest and smallest)")
    }
    if strategy == .ofa, space != "resnet" {
      throw RDNASError.badInput("progressive shrinking (ofa) is defined for the resnet space only")
    }
    if branchFrom != nil, initFrom != nil {
      throw RDNASError.badInput("--branch-from and --init-from exclude each other (a branch takes all its weights)")
    }
    if let k = keepCheckpoints, k < 1 {
      throw RDNASError.badInput("--keep-checkpoints must be at least 1 (got \(k)); last.safetensors is always kept")
    }
    guard !name.isEmpty, !name.contains("/") else { throw RDNASError.badInput("run name '\(name)' must be a plain folder name") }
    try rank.validate()
  }
}

/// Options of the pairwise rank loss (ranking distillation) and of the live rank-correlation tracking.
public struct RankLossConfig: Codable, Sendable, Equatable {
  /// Guiding zero-cost proxy (e.g. "flops", "params", "synflow", "zen"); nil disables the rank loss.
  public var proxy: String?
  /// Proxies the monitor's `g` key cycles through.
  public var cycle = ["flops", "params", "synflow", "zen"]
  public var pairs = 2
  public var lambda = LambdaSchedule.warmup
  public var lambdaMax = 2.0
  public var margin = 0.0
  /// Both paths of a pair receive gradient (the reference gives it to the second only).
  public var symmetric = false
  /// Margin subnet sampler: resample b until distance(a, b) ≥ this (nil: no constraint).
  public var minDistance: Double?
  public var weightedDistance = false
  /// Confident-pair sampler: resample b until the teacher's quantiles of a and b differ by at least this (nil: no
  /// constraint). The teacher orders close pairs little better than chance (SWAP-reg on NB201: 57 % correct
  /// below a 0.05 quantile gap, 87 % at 0.2–0.3, 95–100 % above 0.3), so the hinge learns fewer wrong orders.
  /// Needs a teacher that scores the whole space (`file:PATH` or `random`).
  public var minPriorGap: Double?
  /// Rank pairs drawn from these architectures only (a candidates JSON), not from the whole space. A teacher
  /// then needs scores for the pool alone: one computed per run, such as the rank average of a proxy and the
  /// supernet's own scores at the start of its distillation phase (`tools/ensemble_teacher.py`).
  public var pool: String?
  /// Rank pairs only from this (fractional) epoch on; before it no pair is sampled or computed, so a late
  /// distillation phase costs its passes only where it runs (nil: from the start).
  public var fromEpoch: Double?
  /// Rank pairs only on every k-th step (nil or 1: every step): distillation at a fraction of the pairs' cost.
  public var everySteps: Int?
  /// Weight of each pair member's own cross-entropy next to the hinge (nil or 0: the hinge alone, as in the
  /// reference). A pair's two passes are paid for anyway; without this they teach only the order, and the
  /// hinge's push on the worse member's loss is pure gradient ascent on the task (issue 11: supernets
  /// trained at λ 10 reach ~19 % held-out accuracy). With it each pass also trains its subnet on the batch.
  public var pairTaskWeight: Double?

  /// Whether the step with this 0-based index, at this fractional epoch, computes rank pairs (when a
  /// guiding proxy is set: the run's live proxy can differ from `proxy`).
  public func pairsActive(step: Int, epoch: Double) -> Bool {
    guard pairs > 0 else { return false }
    if let from = fromEpoch, epoch < from { return false }
    return step % max(1, everySteps ?? 1) == 0
  }

  // Live rank correlation
  public var groundTruth: String?
  public var groundTruthColumn: String?
  public var landmarks = 50
  public var evalEveryEpochs = 1
  /// Also evaluate landmarks every N steps (0: only at epoch ends), so the live τ appears early.
  public var evalEverySteps: Int?
  public var evalImages = 1000
  /// Landmark score: accuracy, or −loss (what ranks small-budget NB201 supernets best: accuracies tie at
  /// 1,000 images while losses still order the subnets). nil (older configs): accuracy.
  public var scoreBy: LandmarkScore?

  public init() {}

  public enum LambdaSchedule: String, Codable, Sendable, CaseIterable { case constant, warmup, cosine, multistage }
  public enum LandmarkScore: String, Codable, Sendable, CaseIterable { case accuracy, loss }

  public func validate() throws {
    guard pairs >= 0 else { throw RDNASError.badInput("--pairs must be non-negative") }
    guard lambdaMax >= 0, lambdaMax.isFinite else { throw RDNASError.badInput("--lambda-max must be ≥ 0") }
    guard landmarks >= 2 else { throw RDNASError.badInput("--landmarks must be at least 2") }
    if let f = fromEpoch, !(f >= 0 && f.isFinite) { throw RDNASError.badInput("--rank-from must be an epoch ≥ 0") }
    if let k = everySteps, k < 1 { throw RDNASError.badInput("--rank-every must be at least 1 (got \(k))") }
    if let g = minPriorGap, !(g >= 0 && g < 1) {
      throw RDNASError.badInput("--min-prior-gap is a quantile gap in [0, 1) (got \(g))")
    }
    if minPriorGap != nil, let p = proxy, !PriorCache.scoresWholeSpace(p) {
      throw PriorCache.needsWholeSpaceTeacher("--min-prior-gap", got: p)
    }
    if let w = pairTaskWeight, !(w >= 0 && w.isFinite) {
      throw RDNASError.badInput("--pair-task-weight must be ≥ 0 (got \(w))")
    }
  }
}
