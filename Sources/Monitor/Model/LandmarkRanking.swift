import RunEvents

/// The landmarks' ranking as it forms: each evaluation's supernet scores turned into ranks, next to the ranks
/// by prior (the guiding proxy) and by ground truth. Built only from `landmarks` and `evaluation` events, so a
/// replayed `metrics.jsonl` shows the same history as the live run.
public struct LandmarkRanking: Sendable, Equatable {
  /// One evaluation: supernet accuracy (and validation loss) per landmark, in LandmarkSet order.
  public struct Evaluation: Sendable, Equatable {
    public var step: Int, epoch: Int
    public var scores: [Double]
    public var losses: [Double]?
    /// 1 = best; equal scores share a rank (1 + how many are strictly better).
    public var ranks: [Int]
  }

  /// One landmark's line in the ranking table.
  public struct Row: Sendable, Equatable {
    public var index: Int
    public var arch: String
    public var score: Double
    public var loss: Double?
    public var rank: Int
    public var priorRank: Int
    public var groundTruthRank: Int?
    /// Places gained since the previous evaluation (positive = moved up), nil at the first evaluation.
    public var change: Int?
  }

  public let historyLimit: Int
  public private(set) var archs: [String] = []
  public private(set) var prior: [Double] = []
  public private(set) var groundTruth: [Double]?
  public private(set) var flops: [Double]?
  public private(set) var params: [Int]?
  public private(set) var proxy = ""
  /// Oldest first, at most `historyLimit` (older ones are dropped: the table needs only the last two).
  public private(set) var evaluations: [Evaluation] = []
  public private(set) var priorRanks: [Int] = []
  public private(set) var groundTruthRanks: [Int]?

  public init(historyLimit: Int = 64) { self.historyLimit = max(2, historyLimit) }

  public var isEmpty: Bool { archs.isEmpty }
  public var latest: Evaluation? { evaluations.last }
  public var previous: Evaluation? { evaluations.count >= 2 ? evaluations[evaluations.count - 2] : nil }

  /// A new landmark set; the history is kept when it is the same set (a resumed run announces it again).
  public mutating func setLandmarks(_ l: LandmarkSet) {
    if l.archs != archs { evaluations = [] }
    archs = l.archs; prior = l.prior; groundTruth = l.groundTruth; proxy = l.proxy
    flops = l.flops; params = l.params
    priorRanks = LandmarkRanking.ranks(l.prior)
    groundTruthRanks = l.groundTruth.map { LandmarkRanking.ranks($0) }
  }

  /// Records an evaluation; ignored when it does not match the landmark set (a log cut mid-way).
  public mutating func add(_ e: EvaluationRecord) {
    guard !archs.isEmpty, e.accuracies.count == archs.count else { return }
    let losses = e.losses?.count == archs.count ? e.losses : nil
    evaluations.append(Evaluation(step: e.step, epoch: e.epoch, scores: e.accuracies, losses: losses,
                                  ranks: LandmarkRanking.ranks(e.accuracies, tieBreak: losses.map { $0.map { -$0 } })))
    if evaluations.count > historyLimit { evaluations.removeFirst(evaluations.count - historyLimit) }
  }

  /// Ranks of `values`, highest first; equal values share the better rank. With `tieBreak`, values that tie
  /// are told apart by it (higher first): at small budgets many landmark accuracies tie while losses differ.
  public static func ranks(_ values: [Double], tieBreak: [Double]? = nil) -> [Int] {
    func key(_ i: Int) -> (Double, Double) {
      let v = values[i].isFinite ? values[i] : -.infinity
      let t = tieBreak.map { $0[i].isFinite ? $0[i] : -.infinity } ?? 0
      return (v, t)
    }
    return values.indices.map { i in
      let k = key(i)
      return 1 + values.indices.filter { j in let o = key(j); return o.0 > k.0 || (o.0 == k.0 && o.1 > k.1) }.count
    }
  }

  /// The table rows, best current rank first (by prior before the first evaluation).
  public var rows: [Row] {
    let cur = latest, prev = previous
    let out = archs.indices.map { i in
      Row(index: i, arch: archs[i], score: cur?.scores[i] ?? .nan, loss: cur?.losses?[i],
          rank: cur?.ranks[i] ?? priorRanks[i], priorRank: priorRanks[i], groundTruthRank: groundTruthRanks?[i],
          change: prev.flatMap { p in cur.map { p.ranks[i] - $0.ranks[i] } })
    }
    return out.sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }
  }

  /// The supernet score of landmark `i` at every kept evaluation, oldest first.
  public func scoreHistory(_ i: Int) -> [Double] {
    evaluations.map { archs.indices.contains(i) ? $0.scores[i] : .nan }
  }

  /// The supernet rank of landmark `i` at every kept evaluation, oldest first.
  public func rankHistory(_ i: Int) -> [Int] {
    evaluations.map { archs.indices.contains(i) ? $0.ranks[i] : 0 }
  }
}
