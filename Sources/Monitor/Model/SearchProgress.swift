import RunEvents

/// An architecture search as the monitor sees it, folded from its `events.jsonl` lines (live from
/// `rdnas search`, or tailed by `rdnas monitor <run>/search/<name>`). Pure state: no I/O, no clock.
public struct SearchProgress: Sendable, Equatable {
  /// One evaluated architecture.
  public struct Point: Sendable, Equatable {
    public var arch: String
    public var generation: Int
    public var flops: Double
    public var score: Double
    public var accuracy: Double?
    public var params: Int?
  }

  /// One completed generation.
  public struct Generation: Sendable, Equatable {
    public var generation: Int
    public var evaluated: Int
    public var bestScore: Double?
    public var seconds: Double?
  }

  public internal(set) var method: String?
  public internal(set) var space: String?
  public internal(set) var settings: SearchSettings?
  /// Generations already done when this session of the search started (> 0 when resumed).
  public internal(set) var resumedAfter = 0
  /// Every evaluated architecture, in evaluation order, each once (a `scored` line and the generation's
  /// `candidate` line of the same code are one point).
  public internal(set) var points: [Point] = []
  private var index: [String: Int] = [:]
  public internal(set) var generations: [Generation] = []
  public internal(set) var paused = false
  public internal(set) var finished: SearchEvent?
  public internal(set) var startTime: Double?
  public internal(set) var lastTime: Double?

  public init() {}

  public var isFinished: Bool { finished != nil }
  public var plannedGenerations: Int? { settings?.generations }
  /// Generations completed so far.
  public var completedGenerations: Int { generations.last.map { $0.generation + 1 } ?? resumedAfter }
  /// The generation being scored: the newest point's, or the next one when none of it is in yet (once the
  /// search is over: the last one scored).
  public var currentGeneration: Int {
    if isFinished { return points.last?.generation ?? 0 }
    return max(completedGenerations, points.last?.generation ?? 0)
  }
  public var scoreIsLoss: Bool { settings?.scoreBy == "loss" }

  mutating func apply(_ e: SearchEvent) {
    lastTime = e.time
    switch e.event {
    case "started":
      method = e.method; space = e.space; settings = e.settings
      resumedAfter = e.generation ?? 0
      if startTime == nil { startTime = e.time }
      finished = nil; paused = false
    case "scored", "candidate":
      guard let arch = e.arch, let score = e.score, let flops = e.flops else { return }
      let p = Point(arch: arch, generation: e.generation ?? currentGeneration, flops: flops, score: score,
                    accuracy: e.accuracy, params: e.params)
      if let i = index[arch] { points[i] = p } else { index[arch] = points.count; points.append(p) }
    case "generation":
      guard let g = e.generation else { return }
      generations.removeAll { $0.generation == g }
      generations.append(Generation(generation: g, evaluated: e.evaluated ?? points.count, bestScore: e.bestScore,
                                    seconds: e.seconds))
    case "paused":
      paused = e.paused ?? false
    case "finished":
      finished = e; paused = false
    default:
      break
    }
  }

  /// Best first (ties: earlier evaluation first).
  public func best(_ k: Int) -> [Point] {
    Array(points.indices.sorted { a, b in
      points[a].score != points[b].score ? points[a].score > points[b].score : a < b
    }.prefix(k).map { points[$0] })
  }

  /// The Pareto front of (fewer FLOPs, higher score), by increasing FLOPs: every point no other point
  /// matches or beats on both with a strict gain on one.
  public var front: [Point] {
    let sorted = points.sorted { $0.flops != $1.flops ? $0.flops < $1.flops : $0.score > $1.score }
    var out: [Point] = []
    for p in sorted where out.last.map({ p.score > $0.score }) ?? true { out.append(p) }
    return out
  }

  /// Seconds per completed generation in this session (nil until one is done).
  public var secondsPerGeneration: Double? {
    let s = generations.compactMap(\.seconds)
    return s.isEmpty ? nil : s.reduce(0, +) / Double(s.count)
  }

  /// Seconds left at the mean generation time (0 when finished).
  public var eta: Double? {
    if isFinished { return 0 }
    guard let planned = plannedGenerations, let per = secondsPerGeneration else { return nil }
    return Double(max(0, planned - completedGenerations)) * per
  }
}
