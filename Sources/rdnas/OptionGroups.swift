import ArgumentParser
import Common
import Foundation
import Search
import Training

// Options come in groups, one per concern, and each command takes only the groups it uses, so its --help
// lists only options that mean something there (`rdnas proxy --help` does not offer --strategy). Each
// group writes its part of a `TrainingConfig`.

/// Which images.
struct DataOptions: ParsableArguments {
  @Option(help: "Dataset: fashion-mnist | mnist | cifar10 | folder.") var dataset = "fashion-mnist"
  @Option(help: "Dataset folder (default: the dataset's standard location).") var data: String?
  @Option(help: "Validation split size taken from the training set.") var validationSize = 5000
  @Option(help: "Train on at most this many images (after the split).") var trainLimit: Int?

  func apply(to c: inout TrainingConfig) {
    c.dataset = dataset; c.dataPath = data; c.validationSize = validationSize; c.trainLimit = trainLimit
  }
}

/// Which architectures: the search space and its sizes.
struct SpaceOptions: ParsableArguments {
  @Option(help: "Search space: resnet | nb201.") var space = "resnet"
  @Option(help: "resnet base channels, comma-separated.") var baseChannels = "16,32,64,128"
  @Option(help: "resnet channel rounding divisor.") var channelDivisor = 4
  @Flag(help: "resnet: restrict width codes to the competition's test sets (1-3,1-3,1-5,1-7).") var competitionWidths = false
  @Option(help: "nb201 channels C.") var nb201C = 16
  @Option(help: "nb201 cells per stage N.") var nb201N = 5

  func apply(to c: inout TrainingConfig) throws {
    c.space = space
    let bases = baseChannels.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !bases.isEmpty, bases.allSatisfy({ ($0 ?? 0) > 0 }) else {
      throw RDNASError.badInput("--base-channels '\(baseChannels)' must be positive integers separated by commas")
    }
    c.resnet.baseChannels = bases.map { $0! }
    c.resnet.channelDivisor = channelDivisor
    if competitionWidths { c.resnet.widthCodesPerStage = ResNetSpace.Config.competitionWidthCodes }
    c.nb201.C = nb201C; c.nb201.N = nb201N
  }
}

/// Networks built to be trained (supernet or standalone); proxies always score ReLU networks.
struct NetworkOptions: ParsableArguments {
  @Option(help: "Outer activation (resnet): relu | prelu | swish | mish.") var activation = "relu"

  func apply(to c: inout TrainingConfig) throws { c.activation = try choice(activation, "activation") }
}

/// The seed of everything random in a command (initialisation, sampling, data order).
struct SeedOption: ParsableArguments {
  @Option(help: "Seed.") var seed: UInt64 = 0
}

/// SGD and its schedule: what any training (supernet or standalone) needs.
struct OptimizerOptions: ParsableArguments {
  @Option(help: "Epochs.") var epochs = 5
  @Option(help: "Batch size.") var batchSize = 64
  @Option(help: "Peak learning rate.") var lr: Float = 0.05
  @Option(help: "Linear warm-up epochs.") var warmup: Double = 0
  @Option(help: "LR schedule: cosine | constant | step.") var schedule = "cosine"
  @Option(help: "Weight decay (not on BN/bias).") var weightDecay: Float = 5e-4
  @Option(help: "Momentum.") var momentum: Float = 0.9
  @Flag(help: "Plain momentum instead of Nesterov.") var noNesterov = false

  func apply(to c: inout TrainingConfig) throws {
    c.epochs = epochs; c.batchSize = batchSize; c.lr = lr; c.warmupEpochs = warmup
    c.schedule = try choice(schedule, "schedule")
    c.weightDecay = weightDecay; c.momentum = momentum; c.nesterov = !noNesterov
  }
}

/// How a weight-sharing supernet is trained: paths per step and how they learn.
struct SupernetOptions: ParsableArguments {
  @Option(help: "Strategy: spos | fairnas | sandwich | ofa.") var strategy = "sandwich"
  @Option(help: "Paths per step (sandwich: largest + smallest + n−2 random).") var paths = 4
  @Option(help: "Loss of distilled paths: kd | alpha.") var distillation = "kd"
  @Option(help: "Clip gradients to this global norm.") var clipNorm: Double?
  @Option(help: "Start from this checkpoint of the largest network (mid channels reordered).") var initFrom: String?
  @Option(help: "Branch from another run's checkpoint (weights, momentum, step, epoch, sampler state); this run's options apply from there on.")
  var branchFrom: String?

  func apply(to c: inout TrainingConfig) throws {
    c.strategy = try choice(strategy, "strategy")
    c.distillation = try choice(distillation, "distillation")
    c.pathsPerStep = paths; c.clipNorm = clipNorm; c.initFrom = initFrom; c.branchFrom = branchFrom
  }
}

/// Ranking distillation: the pairwise rank loss guided by a zero-cost proxy.
struct RankingOptions: ParsableArguments {
  @Option(help: "Guiding proxy of the rank loss (flops, params, synflow, zen, ...); omit to disable.") var proxy: String?
  @Option(help: "Rank pairs per step.") var pairs = 2
  @Option(help: "λ schedule: warmup | constant | cosine | multistage.") var lambdaSchedule = "warmup"
  @Option(help: "λ maximum.") var lambdaMax = 2.0
  @Option(help: "Hinge margin.") var margin = 0.0
  @Flag(help: "Symmetric hinge (both paths of a pair get gradient).") var symmetric = false
  @Option(help: "Margin sampler: minimum distance between a pair's subnets.") var minDistance: Double?
  @Flag(help: "Use the weighted NB201 op distance for the margin sampler.") var weightedDistance = false
  @Option(help: "Confident-pair sampler: minimum gap between a pair's teacher quantiles (file:PATH or random teachers).")
  var minPriorGap: Double?
  @Option(help: "Rank pairs only from this epoch on (fractional allowed; λ follows its schedule over the whole run).")
  var rankFrom: Double?
  @Option(help: "Rank pairs only on every k-th step.") var rankEvery: Int?
  @Option(help: "Draw rank pairs from these architectures only (candidates JSON); the teacher needs scores for them alone.")
  var rankPool: String?
  @Option(help: "Weight of each pair member's own cross-entropy next to the hinge (0: the hinge alone).")
  var pairTaskWeight: Double?

  func apply(to c: inout TrainingConfig) throws {
    c.rank.lambda = try choice(lambdaSchedule, "lambda-schedule")
    c.rank.proxy = proxy; c.rank.pairs = pairs; c.rank.lambdaMax = lambdaMax; c.rank.margin = margin
    c.rank.symmetric = symmetric; c.rank.minDistance = minDistance; c.rank.weightedDistance = weightedDistance
    c.rank.minPriorGap = minPriorGap
    c.rank.fromEpoch = rankFrom; c.rank.everySteps = rankEvery; c.rank.pairTaskWeight = pairTaskWeight
    c.rank.pool = rankPool
  }
}

/// Live rank correlation during training: landmark architectures evaluated with the shared weights.
struct LandmarkOptions: ParsableArguments {
  @Option(help: "Ground truth for live rank correlation (NB201 CSV or competition JSON).") var gt: String?
  @Option(help: "Ground-truth column (NB201: cifar10 | cifar100 | imagenet).") var gtColumn: String?
  @Option(help: "Landmark architectures for live rank correlation.") var landmarks = 50
  @Option(help: "Evaluate landmarks every N epochs.") var evalEvery = 1
  @Option(help: "Also evaluate landmarks every N steps (0 = epoch ends only).") var evalEverySteps = 0
  @Option(help: "Validation images used for landmark evaluation.") var evalImages = 1000
  @Option(help: "Landmark score that live τ (vs GT, proxy, previous) is of: accuracy | loss (−validation loss).")
  var scoreBy: RankLossConfig.LandmarkScore = .accuracy

  func apply(to c: inout TrainingConfig) {
    c.rank.scoreBy = scoreBy
    c.rank.groundTruth = gt; c.rank.groundTruthColumn = gtColumn; c.rank.landmarks = landmarks
    c.rank.evalEveryEpochs = evalEvery; c.rank.evalImages = evalImages; c.rank.evalEverySteps = evalEverySteps
  }
}

/// Where a training run writes and how often.
struct RunOutputOptions: ParsableArguments {
  @Option(help: "Run name: outputs go to <runs-dir>/<name>/.") var name = "run"
  @Option(help: "Folder holding run folders.") var runsDir = "runs"
  @Option(help: "Log every N steps (default: 1 with the monitor, 10 headless).") var logEvery: Int?
  @Option(help: ArgumentHelp("Also save last.safetensors every N steps (500) or minutes (10m, 90s, 2h), or off.",
                             valueName: "steps|time"))
  var checkpointEvery = CheckpointCadence.standard.description
  @Option(help: "Keep only the newest K per-epoch checkpoints (default: all).") var keepCheckpoints: Int?

  func apply(to c: inout TrainingConfig) throws {
    c.name = name; c.runsDirectory = runsDir
    c.logEvery = logEvery ?? 10
    c.checkpointEvery = try CheckpointCadence(parsing: checkpointEvery)
    c.keepCheckpoints = keepCheckpoints
  }
}

/// `value` as one of an enum's raw values, or a one-line error naming the flag and the choices.
func choice<T: RawRepresentable & CaseIterable>(_ value: String, _ flag: String) throws -> T where T.RawValue == String {
  guard let x = T(rawValue: value) else {
    throw RDNASError.badInput("--\(flag) '\(value)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
  }
  return x
}

extension RankLossConfig.LandmarkScore: ExpressibleByArgument {}
