import Foundation

/// What a trainer tells the world, one value per thing that happened. The same values go to the
/// in-process monitor and, one JSON object per line, to `runs/<name>/metrics.jsonl` (the record a
/// detached monitor tails), so this type is the whole contract between training and display.
public enum TrainerEvent: Codable, Sendable, Equatable {
  case started(RunInfo)
  case step(StepRecord)
  case rankPair(RankPairRecord)
  case landmarks(LandmarkSet)
  case evaluation(EvaluationRecord)
  case epochEnd(EpochRecord)
  case checkpoint(CheckpointRecord)
  case commandApplied(CommandRecord)
  case paused(PauseRecord)
  case finished(FinishRecord)
  case failed(FailureRecord)
  /// The terminal of the in-process monitor hung up; training went on headless (re-attach with `rdnas monitor`).
  case detached(DetachRecord)
}

public struct RunInfo: Codable, Sendable, Equatable {
  public var name: String
  public var space: String            // "resnet" | "nb201"
  public var strategy: String         // "spos" | "fairnas" | "sandwich" | "ofa"
  public var proxy: String?           // guiding proxy of the rank loss, nil when off
  public var proxies: [String]        // proxies the `g` key cycles through
  public var epochs: Int
  public var stepsPerEpoch: Int
  public var batchSize: Int
  public var dataset: String
  public var startStep: Int           // > 0 when resumed
  public var time: Double             // seconds since 1970
  public init(name: String, space: String, strategy: String, proxy: String?, proxies: [String], epochs: Int,
              stepsPerEpoch: Int, batchSize: Int, dataset: String, startStep: Int, time: Double) {
    self.name = name; self.space = space; self.strategy = strategy; self.proxy = proxy; self.proxies = proxies
    self.epochs = epochs; self.stepsPerEpoch = stepsPerEpoch; self.batchSize = batchSize; self.dataset = dataset
    self.startStep = startStep; self.time = time
  }
}

/// One forward/backward path of a step.
public struct PathRecord: Codable, Sendable, Equatable {
  public var role: String             // "largest" | "smallest" | "random" | "spos" | "fair"
  public var arch: String             // the space's text encoding
  public var loss: Double             // CE for the largest/SPOS paths, KD (or α-divergence) for the others
  public var flops: Double
  public init(role: String, arch: String, loss: Double, flops: Double) {
    self.role = role; self.arch = arch; self.loss = loss; self.flops = flops
  }
}

public struct StepRecord: Codable, Sendable, Equatable {
  public var step: Int                // global step, 1-based after the step completed
  public var epoch: Int               // 0-based
  public var lr: Double
  public var loss: Double             // sum of all path losses and the weighted rank loss
  public var paths: [PathRecord]
  public var rankLoss: Double?        // λ·Σ hinge of this step, nil when rank distillation is off
  public var lambda: Double?
  public var gradNorm: Double
  public var imagesPerSecond: Double
  public var elapsed: Double          // seconds since the run (or resume) started
  public init(step: Int, epoch: Int, lr: Double, loss: Double, paths: [PathRecord], rankLoss: Double?,
              lambda: Double?, gradNorm: Double, imagesPerSecond: Double, elapsed: Double) {
    self.step = step; self.epoch = epoch; self.lr = lr; self.loss = loss; self.paths = paths
    self.rankLoss = rankLoss; self.lambda = lambda; self.gradNorm = gradNorm
    self.imagesPerSecond = imagesPerSecond; self.elapsed = elapsed
  }
}

public struct RankPairRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var a: String, b: String
  public var priorA: Double, priorB: Double
  public var lossA: Double, lossB: Double
  public var hinge: Double            // unweighted hinge value
  public var lambda: Double
  public var proxy: String
  public var distance: Double         // margin-sampler distance between a and b
  /// True when the losses already agree with the prior order (lower loss for the higher prior).
  public var concordant: Bool
  public init(step: Int, a: String, b: String, priorA: Double, priorB: Double, lossA: Double, lossB: Double,
              hinge: Double, lambda: Double, proxy: String, distance: Double, concordant: Bool) {
    self.step = step; self.a = a; self.b = b; self.priorA = priorA; self.priorB = priorB; self.lossA = lossA
    self.lossB = lossB; self.hinge = hinge; self.lambda = lambda; self.proxy = proxy; self.distance = distance
    self.concordant = concordant
  }
}

/// The fixed architectures whose supernet ranking is tracked during training.
public struct LandmarkSet: Codable, Sendable, Equatable {
  public var archs: [String]
  public var groundTruth: [Double]?   // accuracy per landmark when --gt was given
  public var prior: [Double]          // guiding proxy value per landmark
  public var proxy: String
  /// FLOPs and parameter count per landmark (optional: older logs lack them), for the monitor's ranking view.
  public var flops: [Double]?
  public var params: [Int]?
  public init(archs: [String], groundTruth: [Double]?, prior: [Double], proxy: String, flops: [Double]? = nil,
              params: [Int]? = nil) {
    self.archs = archs; self.groundTruth = groundTruth; self.prior = prior; self.proxy = proxy
    self.flops = flops; self.params = params
  }
}

public struct EvaluationRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var epoch: Int
  public var accuracies: [Double]     // supernet accuracy per landmark, in LandmarkSet order
  public var tauGroundTruth: Double?
  public var tauProxy: Double?
  public var tauPrevious: Double?
  /// Mean validation loss per landmark, and τ of −loss against the ground truth: at small budgets many
  /// 1,000-image accuracies tie while losses still order the subnets. Optional: older logs lack them.
  public var losses: [Double]?
  public var tauGroundTruthByLoss: Double?
  public init(step: Int, epoch: Int, accuracies: [Double], tauGroundTruth: Double?, tauProxy: Double?,
              tauPrevious: Double?, losses: [Double]? = nil, tauGroundTruthByLoss: Double? = nil) {
    self.step = step; self.epoch = epoch; self.accuracies = accuracies; self.tauGroundTruth = tauGroundTruth
    self.tauProxy = tauProxy; self.tauPrevious = tauPrevious
    self.losses = losses; self.tauGroundTruthByLoss = tauGroundTruthByLoss
  }
}

public struct EpochRecord: Codable, Sendable, Equatable {
  public var epoch: Int
  public var step: Int
  public var meanLoss: Double
  public var seconds: Double
  /// Resident and peak resident memory at the epoch's end, MiB (optional: older logs lack them). A run
  /// whose resident memory keeps rising epoch after epoch leaks.
  public var residentMiB: Double?
  public var peakResidentMiB: Double?
  /// Seconds of the epoch spent computing proxy priors for rank pairs, and how many encodings were new to
  /// the cache (the rest were free): what guidance by an expensive proxy such as ZenScore costs.
  public var priorSeconds: Double?
  public var newPriors: Int?
  public init(epoch: Int, step: Int, meanLoss: Double, seconds: Double, residentMiB: Double? = nil,
              peakResidentMiB: Double? = nil, priorSeconds: Double? = nil, newPriors: Int? = nil) {
    self.epoch = epoch; self.step = step; self.meanLoss = meanLoss; self.seconds = seconds
    self.residentMiB = residentMiB; self.peakResidentMiB = peakResidentMiB
    self.priorSeconds = priorSeconds; self.newPriors = newPriors
  }
}

public struct CheckpointRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var path: String
  public var reason: String           // "epoch" | "command" | "signal" | "final"
  public var time: Double
  public init(step: Int, path: String, reason: String, time: Double) {
    self.step = step; self.path = path; self.reason = reason; self.time = time
  }
}

public struct CommandRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var command: TrainerCommand
  public var detail: String
  public init(step: Int, command: TrainerCommand, detail: String) {
    self.step = step; self.command = command; self.detail = detail
  }
}

public struct PauseRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var paused: Bool
  public init(step: Int, paused: Bool) { self.step = step; self.paused = paused }
}

public struct FinishRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var seconds: Double
  public var stopped: Bool            // true when stopped by a command or signal before the last epoch
  public init(step: Int, seconds: Double, stopped: Bool) { self.step = step; self.seconds = seconds; self.stopped = stopped }
}

public struct DetachRecord: Codable, Sendable, Equatable {
  public var step: Int                // the last step the monitor had seen
  public var reason: String           // e.g. "SIGHUP"
  public var time: Double
  public init(step: Int, reason: String, time: Double) { self.step = step; self.reason = reason; self.time = time }
}

public struct FailureRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var message: String
  public init(step: Int, message: String) { self.step = step; self.message = message }
}

/// What the world may ask of a running trainer; applied at the next step boundary.
public enum TrainerCommand: Codable, Sendable, Equatable {
  case pause
  case resume
  case setProxy(String)
  case checkpoint
  case stop(save: Bool)
}
