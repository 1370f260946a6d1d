import RunEvents

/// The plotted scalar series.
public enum SeriesKey: String, CaseIterable, Sendable {
  case total, largest, smallest, random, kd, rank, lr, throughput

  /// Legend label when space is short.
  public var shortLabel: String {
    switch self {
    case .total: return "tot"
    case .largest: return "big"
    case .smallest: return "sml"
    case .random: return "rnd"
    default: return label
    }
  }

  /// Legend label.
  public var label: String {
    switch self {
    case .total: return "total"
    case .largest: return "largest"
    case .smallest: return "smallest"
    case .random: return "random"
    case .kd: return "KD"
    case .rank: return "rank"
    case .lr: return "lr"
    case .throughput: return "img/s"
    }
  }
}

/// One path trained in a recent step.
public struct SampledArch: Sendable, Equatable {
  public var step: Int, role: String, arch: String, flops: Double, loss: Double
  public init(step: Int, role: String, arch: String, flops: Double, loss: Double) {
    self.step = step; self.role = role; self.arch = arch; self.flops = flops; self.loss = loss
  }
}

/// A recently sampled arch and its Hamming distance to each landmark (LandmarkSet order).
public struct LandmarkDistances: Sendable, Equatable {
  public var arch: String, role: String, distances: [Int]
}

/// Which value orders the landmark heatmap.
public enum LandmarkOrdering: String, Sendable {
  case prior, groundTruth
}

/// Everything the monitor knows about a run, built only from `TrainerEvent`s (see `apply`), so the same
/// model serves a live trainer, a tailed `metrics.jsonl` and a finished run's replay.
public struct MonitorModel: Sendable {
  public let seriesCapacity: Int
  public let listCapacity: Int
  public let recentLandmarkRows: Int

  public internal(set) var run: RunInfo?
  public internal(set) var series: [SeriesKey: BoundedSeries]
  public internal(set) var samples: Ring<SampledArch>
  public internal(set) var pairs: Ring<RankPairRecord>
  public internal(set) var pairCount = 0
  public internal(set) var concordantCount = 0

  public internal(set) var landmarks: LandmarkSet?
  /// Digits of the landmark encodings, split once.
  var landmarkDigits: [[Int]] = []
  /// Hamming distances between landmarks, in LandmarkSet order.
  public internal(set) var landmarkDistances: [[Int]] = []
  /// Newest first, one entry per distinct arch.
  public internal(set) var recentDistances: [LandmarkDistances] = []
  /// Landmark ranks per evaluation vs prior and ground truth (the ranking view).
  public internal(set) var ranking = LandmarkRanking()
  /// Latest supernet accuracy per landmark.
  public internal(set) var accuracies: [Double]? = nil

  public internal(set) var tauGroundTruth: BoundedSeries
  public internal(set) var tauProxy: BoundedSeries
  public internal(set) var tauPrevious: BoundedSeries
  /// τ of −validation loss vs ground truth (ties in small-budget accuracies do not blur it).
  public internal(set) var tauGroundTruthByLoss: BoundedSeries
  public internal(set) var lastEvaluation: EvaluationRecord?

  public internal(set) var step = 0
  public internal(set) var epoch = 0
  public internal(set) var lr: Double? = nil
  public internal(set) var imagesPerSecond: Double? = nil
  public internal(set) var elapsed: Double = 0
  public internal(set) var proxy: String? = nil
  public internal(set) var lambda: Double? = nil
  public internal(set) var paused = false
  public internal(set) var lastCheckpoint: CheckpointRecord? = nil
  public internal(set) var lastCommand: CommandRecord? = nil
  public internal(set) var lastEpoch: EpochRecord? = nil
  public internal(set) var failure: FailureRecord? = nil
  /// The last time an in-process monitor lost its terminal (the run went on headless).
  public internal(set) var lastDetach: DetachRecord? = nil
  public internal(set) var finished: FinishRecord? = nil
  public internal(set) var eventCount = 0
  /// Set when the events are a search's (`rdnas search`): the monitor shows the search screen.
  public internal(set) var search: SearchProgress? = nil

  public init(seriesCapacity: Int = 1024, listCapacity: Int = 200, recentLandmarkRows: Int = 8) {
    self.seriesCapacity = seriesCapacity
    self.listCapacity = listCapacity
    self.recentLandmarkRows = recentLandmarkRows
    series = Dictionary(uniqueKeysWithValues: SeriesKey.allCases.map { ($0, BoundedSeries(capacity: seriesCapacity)) })
    samples = Ring(capacity: listCapacity)
    pairs = Ring(capacity: listCapacity)
    tauGroundTruth = BoundedSeries(capacity: seriesCapacity)
    tauProxy = BoundedSeries(capacity: seriesCapacity)
    tauPrevious = BoundedSeries(capacity: seriesCapacity)
    tauGroundTruthByLoss = BoundedSeries(capacity: seriesCapacity)
  }

  /// Fraction of rank pairs whose losses already agreed with the prior order.
  public var concordantFraction: Double? { pairCount > 0 ? Double(concordantCount) / Double(pairCount) : nil }

  public var totalSteps: Int? {
    guard let r = run, r.epochs > 0, r.stepsPerEpoch > 0 else { return nil }
    return r.epochs * r.stepsPerEpoch
  }

  /// Seconds left at the average speed since the run (or resume) started; nil until measurable.
  public var eta: Double? {
    if finished != nil { return 0 }
    guard let total = totalSteps, let r = run, elapsed > 0 else { return nil }
    let done = step - r.startStep
    guard done > 0 else { return nil }
    return Double(max(0, total - step)) * elapsed / Double(done)
  }

  /// Whether the trainer is gone (finished or failed); commands can no longer reach it.
  public var isOver: Bool { finished != nil || failure != nil || search?.isFinished == true }

  /// The τ shown large: vs ground truth when known, else vs the proxy, else vs the previous evaluation.
  public var headlineTau: (label: String, value: Double)? {
    guard let e = lastEvaluation else { return nil }
    if e.scoreBy == "loss", let v = e.tauGroundTruthByLoss { return ("Kendall τ (loss) vs GT", v) }
    if let v = e.tauGroundTruth { return ("Kendall τ vs GT", v) }
    if let v = e.tauProxy { return ("Kendall τ vs proxy", v) }
    if let v = e.tauPrevious { return ("Kendall τ vs prev", v) }
    return nil
  }

  /// Landmark indices, highest value first (prior, or ground truth when known).
  public func landmarkOrder(_ by: LandmarkOrdering) -> [Int] {
    guard let l = landmarks else { return [] }
    let key: [Double] = by == .groundTruth ? (l.groundTruth ?? l.prior) : l.prior
    return l.archs.indices.sorted { a, b in
      let x = key.indices.contains(a) ? key[a] : -.infinity, y = key.indices.contains(b) ? key[b] : -.infinity
      return x != y ? x > y : a < b
    }
  }

  /// The landmark distance matrix permuted into the given order.
  public func orderedDistances(_ by: LandmarkOrdering) -> [[Int]] {
    let order = landmarkOrder(by)
    return order.map { i in order.map { j in landmarkDistances[i][j] } }
  }
}
