import Foundation
import Collective
import Common
import Data
import Engine
import Ranking
import Search
import Supernet

/// One-shot supernet training: sampled paths per step (SPOS, FairNAS, sandwich, progressive shrinking),
/// optional ranking distillation pairs, one optimiser step per batch; events out, commands in.
/// `run()` blocks; call it on a background queue to keep a UI responsive.
public final class Trainer: @unchecked Sendable {
  public let config: TrainingConfig
  public let space: any SearchSpace
  public let net: Supernet
  public let optimizer: SGD
  public let commands = CommandQueue()
  public let folder: RunFolder
  /// Precision, threads and process group of this run (one rank of it under `mpirun`).
  public let context: RunContext
  let loader: BatchLoader
  let validation: ImageDataset
  let normalization: Normalization
  let sampler: PathSampler
  let schedule: LRSchedule
  let priors: PriorCache
  /// The architectures rank pairs are drawn from (`--rank-pool`); nil: the whole space.
  let rankPool: [Encoding]?
  var landmarks: LandmarkTracker?
  public internal(set) var state: TrainerState
  var sinks: [(TrainerEvent) -> Void] = []
  var paused = false
  var control: ControlChannel.Reader?
  var runStart = Date()
  var stepsAtStart = 0
  /// Conv weight reorders the last step ran and the ones its `WeightLayoutCache` saved.
  public internal(set) var lastStepReorders = (executed: 0, reused: 0)
  /// Off only in tests comparing against reordering on every use.
  var reuseWeightReorders = true
  /// Combines the ranks' gradients before each update (a no-op with one rank).
  public let exchange: GradientExchange

  /// Builds data, space, supernet and optimiser from `config`; with `resume`, continues from the run
  /// folder's last checkpoint. On a `collective` of several ranks this is one rank of a data-parallel run:
  /// every rank calls it with the same arguments; rank 0 alone writes the run folder and reads commands.
  /// With `autoPrecision` a new run's precision is measured (rank 0 measures, the others take its choice)
  /// instead of read from `config.precision`; a resumed run keeps the precision it was trained in.
  /// `fixedPrecision` is the front end's decision for a fixed `--precision` (its reason says when bf16 fell
  /// back to fp32 on this CPU, which the run's events should show rather than a plain "--precision fp32").
  public init(config original: TrainingConfig, resume: Bool = false, proxyScorer: PriorCache.Scorer? = nil,
              collective: any Collective = SingleProcess(), autoPrecision: AutoPrecision? = nil,
              fixedPrecision: PrecisionDecision? = nil, openMPSettings: String? = nil) throws {
    var config = original
    try config.validate()
    folder = RunFolder(path: config.runDirectory)
    var loaded: Checkpoint.Loaded?
    var loadedPath = folder.lastCheckpointPath
    if resume {
      guard FileManager.default.fileExists(atPath: folder.lastCheckpointPath) else {
        throw RDNASError.badInput("cannot resume \(folder.path): no checkpoints/last.safetensors")
      }
      loaded = try Checkpoint.load(path: folder.lastCheckpointPath)
      if let saved = loaded?.config {
        // The run's own options win; only the length of training may be extended on resume.
        let epochs = config.epochs
        config = saved
        config.epochs = max(epochs, saved.epochs)
      }
    } else if let branch = config.branchFrom {
      loaded = try Self.loadBranchPoint(branch, for: config)
      loadedPath = branch
    }

    let data = try RunData.load(&config)
    space = try config.makeSpace()
    let precision: PrecisionDecision
    if resume {
      let p = Precision.resolve(config.precision ?? .fp32).precision
      precision = PrecisionDecision(precision: p, reason: "resumed: the run was trained in \((config.precision ?? .fp32).rawValue)")
    } else if let autoPrecision {
      var measured: PrecisionDecision?
      if collective.isRoot {
        measured = try autoPrecision.decide(threads: config.threads ?? DNNL.threads) { [config, space] in
          if let n = config.threads { DNNL.setThreads(n) }
          return try PrecisionProbe(config: config, space: space, channels: data.train.channels,
                                    height: data.train.height, width: data.train.width)
        }
      }
      precision = try collective.broadcast(measured, root: 0)!
      config.precision = precision.precision
    } else if let fixedPrecision, fixedPrecision.precision == Precision.resolve(config.precision ?? .fp32).precision {
      precision = fixedPrecision
    } else {
      precision = .fixed(config.precision ?? .fp32)
    }
    self.config = config
    context = RunContext(config: config, collective: collective, precisionDecision: precision, openMPSettings: openMPSettings)
    normalization = data.normalization
    validation = data.validation
    let augment = config.augment ?? (data.train.channels == 3)
    loader = try BatchLoader(dataset: data.train, batchSize: config.batchSize, shuffle: true,
                             dropLast: true, augmentation: augment ? .cifar : .none,
                             normalization: normalization, seed: config.seed,
                             part: (collective.rank, collective.size))
    guard loader.batchesPerEpoch > 0 else {
      throw RDNASError.badInput("\(data.train.count) training images make no batch of \(config.batchSize)")
    }
    net = try config.makeSupernet(space: space)
    var sgd = SGD.Config()
    sgd.momentum = config.momentum; sgd.nesterov = config.nesterov
    sgd.weightDecay = config.weightDecay; sgd.clipNorm = config.clipNorm
    optimizer = SGD(store: net.store, config: sgd)
    exchange = GradientExchange(store: net.store, collective: collective)
    sampler = PathSampler(space: space, strategy: config.strategy, paths: config.pathsPerStep, epochs: config.epochs)
    let perEpoch = loader.batchesPerEpoch, total = perEpoch * config.epochs
    let warm = Int(config.warmupEpochs * Double(perEpoch))
    switch config.schedule {
    case .cosine: schedule = .warmupCosine(base: config.lr, warmupSteps: warm, totalSteps: total, minimum: config.minLR)
    case .constant: schedule = .constant(config.lr)
    case .step: schedule = .step(base: config.lr, milestones: [total / 2, total * 3 / 4], gamma: 0.1)
    }
    priors = PriorCache(space: space, scorer: proxyScorer, seed: config.seed)
    let space = self.space
    rankPool = try config.rank.pool.map { path in
      let archs = try Candidates.load(path: path, space: space).archs
      guard archs.count >= 2 else { throw RDNASError.badFile(path: path, reason: "a rank pool needs at least 2 architectures") }
      return archs
    }
    state = TrainerState(step: 0, epoch: 0, batchInEpoch: 0, rng: RandomSource(seed: config.seed ^ 0x5A17).state,
                         proxy: config.rank.proxy)

    if let loaded {
      try Checkpoint.restoreWeights(loaded, into: net.store, path: loadedPath)
      try Checkpoint.restoreOptimizer(loaded, into: optimizer)
      if let s = loaded.state { state = s }
      // A branch guides with its own proxy from the branch point on (a resumed run keeps the one in force).
      if !resume, config.branchFrom != nil { state.proxy = config.rank.proxy }
    } else if let initFrom = config.initFrom {
      try InitFromLargest.load(path: initFrom, into: net)
    }
    if collective.isRoot {
      try folder.create(config: config, resuming: resume)
      control = ControlChannel.Reader(runFolder: folder.path)
    }
    landmarks = try LandmarkTracker(trainer: self)
  }

  /// Reads a branch point: an rdnas checkpoint of a run whose batches line up with this one (same dataset and
  /// batch size; the network is checked weight by weight on restore) and that ends before this run does.
  static func loadBranchPoint(_ path: String, for config: TrainingConfig) throws -> Checkpoint.Loaded {
    guard FileManager.default.fileExists(atPath: path) else {
      throw RDNASError.badInput("--branch-from \(path): no such checkpoint")
    }
    let loaded = try Checkpoint.load(path: path)
    guard let state = loaded.state, let parent = loaded.config else {
      throw RDNASError.badFile(path: path, reason: "no trainer state or config in its metadata (not a training checkpoint)")
    }
    if parent.dataset != config.dataset || parent.batchSize != config.batchSize || parent.space != config.space {
      throw RDNASError.badInput("--branch-from \(path): trained on \(parent.space)/\(parent.dataset) with batch "
        + "\(parent.batchSize), this run is \(config.space)/\(config.dataset) with batch \(config.batchSize)")
    }
    guard state.epoch < config.epochs else {
      throw RDNASError.badInput("--branch-from \(path) is at epoch \(state.epoch): --epochs must exceed it (got \(config.epochs))")
    }
    return loaded
  }

  /// Receives every event (called on the training thread; hand off quickly).
  public func addSink(_ sink: @escaping (TrainerEvent) -> Void) { sinks.append(sink) }

  /// Only rank 0 records events; the other ranks note each applied command on stderr, so a job's log shows
  /// that all ranks applied it at the same step.
  func emit(_ e: TrainerEvent) {
    guard collective.isRoot else {
      if case .commandApplied(let c) = e {
        FileHandle.standardError.write(Data("rdnas: rank \(collective.rank): step \(c.step): \(c.detail)\n".utf8))
      }
      return
    }
    folder.append(e)
    for s in sinks { s(e) }
  }

  public var stepsPerEpoch: Int { loader.batchesPerEpoch }
}
