import Foundation

/// What a trainer tells the world, one value per thing that happened. The same values go to the
/// in-process monitor and, one JSON object per line, to `runs/<name>/metrics.jsonl` (the record a
/// detached monitor tails), so this type is the whole contract between training and display.
///
/// The JSON keys are spelled out in each record's `CodingKeys` (snake_case, units in the name where a
/// number has one) rather than derived from Swift names, so renaming a property cannot change the public
/// format; docs/run-format.md documents every key. `EventCoding` writes and reads the lines.
public enum TrainerEvent: Sendable, Equatable {
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
  /// A line of an architecture search's log (`rdnas search`): the monitor shows a search on the same event
  /// queue, with the same keys, as a training run.
  case search(SearchEvent)
}

/// Version of the metrics.jsonl shape, written on every `started` line. 1: rdnas 0.1.0 (Swift-synthesised
/// camelCase keys, enum-shaped commands; read through `LegacyEvents`); 2: the documented snake_case shape.
public enum RunRecordSchema {
  public static let current = 2
}

public struct RunInfo: Codable, Sendable, Equatable {
  /// `RunRecordSchema` version of the file this line came from (1 for files written before it existed).
  public var schema: Int = RunRecordSchema.current
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
  public var time: Double             // seconds since 1970 (JSON: time_unix)
  public var ranks: Int?              // processes of a data-parallel (MPI) run; nil for one
  // Convolution precision and why (absent in files written before `--precision auto`).
  public var precision: String?       // "fp32" | "bf16"
  public var precisionReason: String? // e.g. "auto: bf16 is faster (fp32 41.0 ms, bf16 22.3 ms per pass of …)"
  public var precisionFP32Milliseconds: Double?  // measured pass times under --precision auto
  public var precisionBF16Milliseconds: Double?
  // Threads of the training thread and the OpenMP settings in effect (rdnas's start-up decision or the user's
  // own), so a run's speed can be read next to the thread count it ran at (absent in files written before).
  public var threads: Int?
  public var openMP: String?          // e.g. "default (libgomp's default); default threads 1 (0.9 of 2 cores busy at start)"
  public init(name: String, space: String, strategy: String, proxy: String?, proxies: [String], epochs: Int,
              stepsPerEpoch: Int, batchSize: Int, dataset: String, startStep: Int, time: Double, ranks: Int? = nil,
              schema: Int = RunRecordSchema.current, precision: String? = nil, precisionReason: String? = nil,
              precisionFP32Milliseconds: Double? = nil, precisionBF16Milliseconds: Double? = nil,
              threads: Int? = nil, openMP: String? = nil) {
    self.schema = schema; self.name = name; self.space = space; self.strategy = strategy; self.proxy = proxy; self.proxies = proxies
    self.epochs = epochs; self.stepsPerEpoch = stepsPerEpoch; self.batchSize = batchSize; self.dataset = dataset
    self.startStep = startStep; self.time = time; self.ranks = ranks
    self.precision = precision; self.precisionReason = precisionReason
    self.precisionFP32Milliseconds = precisionFP32Milliseconds; self.precisionBF16Milliseconds = precisionBF16Milliseconds
    self.threads = threads; self.openMP = openMP
  }
  enum CodingKeys: String, CodingKey {
    case schema, name, space, strategy, proxy, proxies, epochs, dataset, ranks, precision, threads
    case openMP = "openmp"
    case stepsPerEpoch = "steps_per_epoch", batchSize = "batch_size", startStep = "start_step", time = "time_unix"
    case precisionReason = "precision_reason", precisionFP32Milliseconds = "precision_fp32_ms"
    case precisionBF16Milliseconds = "precision_bf16_ms"
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
  public var elapsed: Double          // seconds since the run (or resume) started (JSON: elapsed_seconds)
  public init(step: Int, epoch: Int, lr: Double, loss: Double, paths: [PathRecord], rankLoss: Double?,
              lambda: Double?, gradNorm: Double, imagesPerSecond: Double, elapsed: Double) {
    self.step = step; self.epoch = epoch; self.lr = lr; self.loss = loss; self.paths = paths
    self.rankLoss = rankLoss; self.lambda = lambda; self.gradNorm = gradNorm
    self.imagesPerSecond = imagesPerSecond; self.elapsed = elapsed
  }
  enum CodingKeys: String, CodingKey {
    case step, epoch, lr, loss, paths, lambda
    case rankLoss = "rank_loss", gradNorm = "grad_norm", imagesPerSecond = "images_per_second"
    case elapsed = "elapsed_seconds"
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
  enum CodingKeys: String, CodingKey {
    case step, a, b, hinge, lambda, proxy, distance, concordant
    case priorA = "prior_a", priorB = "prior_b", lossA = "loss_a", lossB = "loss_b"
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
  enum CodingKeys: String, CodingKey {
    case archs, prior, proxy, flops, params, groundTruth = "ground_truth"
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
  /// The run's landmark score, "accuracy" or "loss" (−loss, higher is better): τ vs proxy and vs previous
  /// are of this score, and it is the headline τ vs GT. nil (older logs): accuracy.
  public var scoreBy: String?
  public init(step: Int, epoch: Int, accuracies: [Double], tauGroundTruth: Double?, tauProxy: Double?,
              tauPrevious: Double?, losses: [Double]? = nil, tauGroundTruthByLoss: Double? = nil, scoreBy: String? = nil) {
    self.step = step; self.epoch = epoch; self.accuracies = accuracies; self.tauGroundTruth = tauGroundTruth
    self.tauProxy = tauProxy; self.tauPrevious = tauPrevious
    self.losses = losses; self.tauGroundTruthByLoss = tauGroundTruthByLoss; self.scoreBy = scoreBy
  }
  /// τ against the ground truth by the run's own score.
  public var tauGroundTruthByScore: Double? { scoreBy == "loss" ? tauGroundTruthByLoss : tauGroundTruth }
  enum CodingKeys: String, CodingKey {
    case step, epoch, accuracies, losses
    case scoreBy = "score_by"
    case tauGroundTruth = "tau_ground_truth", tauProxy = "tau_proxy", tauPrevious = "tau_previous"
    case tauGroundTruthByLoss = "tau_ground_truth_by_loss"
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
  enum CodingKeys: String, CodingKey {
    case epoch, step, seconds
    case meanLoss = "mean_loss", residentMiB = "resident_mib", peakResidentMiB = "peak_resident_mib"
    case priorSeconds = "prior_seconds", newPriors = "new_priors"
  }
}

public struct CheckpointRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var path: String
  public var reason: String           // "epoch" | "steps" | "minutes" | "command" | "signal"
  public var time: Double             // seconds since 1970 (JSON: time_unix)
  public init(step: Int, path: String, reason: String, time: Double) {
    self.step = step; self.path = path; self.reason = reason; self.time = time
  }
  enum CodingKeys: String, CodingKey { case step, path, reason, time = "time_unix" }
}

/// JSON: the command's own keys (`command`, and `proxy` or `save`) flattened next to `step` and `detail`.
public struct CommandRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var command: TrainerCommand
  public var detail: String
  public init(step: Int, command: TrainerCommand, detail: String) {
    self.step = step; self.command = command; self.detail = detail
  }
  enum CodingKeys: String, CodingKey { case step, detail }
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    step = try c.decode(Int.self, forKey: .step)
    detail = try c.decode(String.self, forKey: .detail)
    command = try TrainerCommand(from: decoder)
  }
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(step, forKey: .step)
    try c.encode(detail, forKey: .detail)
    try command.encode(to: encoder)
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
  public var time: Double             // seconds since 1970 (JSON: time_unix)
  public init(step: Int, reason: String, time: Double) { self.step = step; self.reason = reason; self.time = time }
  enum CodingKeys: String, CodingKey { case step, reason, time = "time_unix" }
}

public struct FailureRecord: Codable, Sendable, Equatable {
  public var step: Int
  public var message: String
  public init(step: Int, message: String) { self.step = step; self.message = message }
}

/// What the world may ask of a running trainer; applied at the next step boundary.
///
/// JSON: `{"command": "pause" | "resume" | "checkpoint"}`, `{"command": "set_proxy", "proxy": "params"}`,
/// `{"command": "stop", "save": true}`, the same in the control file and inside `command` events.
public enum TrainerCommand: Codable, Sendable, Equatable {
  case pause
  case resume
  case setProxy(String)
  case checkpoint
  case stop(save: Bool)

  /// The `command` key's values, in the order of the cases.
  public static let names = ["pause", "resume", "set_proxy", "checkpoint", "stop"]

  enum CodingKeys: String, CodingKey { case command, proxy, save }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let name = try c.decode(String.self, forKey: .command)
    switch name {
    case "pause": self = .pause
    case "resume": self = .resume
    case "set_proxy": self = .setProxy(try c.decode(String.self, forKey: .proxy))
    case "checkpoint": self = .checkpoint
    case "stop": self = .stop(save: try c.decode(Bool.self, forKey: .save))
    default:
      throw DecodingError.dataCorruptedError(forKey: .command, in: c, debugDescription: "unknown command \(name)")
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .pause: try c.encode("pause", forKey: .command)
    case .resume: try c.encode("resume", forKey: .command)
    case .setProxy(let p): try c.encode("set_proxy", forKey: .command); try c.encode(p, forKey: .proxy)
    case .checkpoint: try c.encode("checkpoint", forKey: .command)
    case .stop(let save): try c.encode("stop", forKey: .command); try c.encode(save, forKey: .save)
    }
  }
}
