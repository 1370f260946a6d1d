import Foundation

// The vocabulary of a search's record (`<run>/search/<name>/events.jsonl` and the settings inside
// `state.json`): plain data, so the monitor can follow a search without linking the engine. What acts on
// these (validation against a space, proposing, scoring) lives in Ranking.

/// How candidates are proposed.
public enum SearchMethod: String, Codable, Sendable, CaseIterable {
  /// SPOS-style evolution: a first generation of random codes, then children of the top-k scored so far,
  /// half by mutation and half by crossover.
  case evolution
  /// The baseline: every generation drawn uniformly (at the same number of evaluations).
  case random
}

/// Everything that defines a search; a resumed search must be given the same settings.
public struct SearchSettings: Codable, Equatable, Sendable {
  public var method: SearchMethod = .evolution
  public var generations = 10
  public var population = 20
  /// Parents: the best `parents` architectures evaluated so far (SPOS's top-k).
  public var parents = 5
  /// Per-gene mutation probability.
  public var mutationRate = 0.1
  public var seed: UInt64 = 0
  public var constraints = CostConstraints()
  /// What the score is (e.g. "accuracy", "loss" for −validation loss); recorded so a resume cannot mix them.
  public var scoreBy = "accuracy"
  /// A zero-cost proxy as a cheap pre-filter: each generation proposes `factor` × population candidates and
  /// only the `population` with the highest proxy value are scored by the supernet. Nil: none (and absent
  /// from states saved before it existed).
  public var prefilter: Prefilter?

  public struct Prefilter: Codable, Equatable, Sendable {
    public var proxy: String
    public var factor: Int
    public init(proxy: String, factor: Int) { self.proxy = proxy; self.factor = factor }
  }

  public init() {}
}

/// Resource bounds a searched architecture must meet, on the space's analytic FLOPs and parameter counts
/// (so a candidate is admitted or refused before anything is evaluated).
public struct CostConstraints: Codable, Equatable, Sendable {
  public var flopsMin: Double?
  public var flopsMax: Double?
  public var paramsMin: Int?
  public var paramsMax: Int?

  public init(flopsMin: Double? = nil, flopsMax: Double? = nil, paramsMin: Int? = nil, paramsMax: Int? = nil) {
    self.flopsMin = flopsMin; self.flopsMax = flopsMax; self.paramsMin = paramsMin; self.paramsMax = paramsMax
  }

  public var isEmpty: Bool { flopsMin == nil && flopsMax == nil && paramsMin == nil && paramsMax == nil }

  public func admits(flops: Double, params: Int) -> Bool {
    if let m = flopsMin, flops < m { return false }
    if let m = flopsMax, flops > m { return false }
    if let m = paramsMin, params < m { return false }
    if let m = paramsMax, params > m { return false }
    return true
  }
}

/// One line of a search's `events.jsonl` (documented in docs/run-format.md). `event` is one of
/// `started`, `scored`, `candidate`, `generation`, `paused`, `finished`; fields that do not apply to an event are absent.
public struct SearchEvent: Codable, Equatable, Sendable {
  public var event: String
  public var time: Double
  public var generation: Int?
  public var arch: String?
  public var score: Double?
  public var accuracy: Double?
  public var loss: Double?
  public var flops: Double?
  public var params: Int?
  public var evaluated: Int?
  public var bestScore: Double?
  public var bestArch: String?
  public var paretoSize: Int?
  public var seconds: Double?
  public var method: String?
  public var space: String?
  public var settings: SearchSettings?
  public var exhausted: Bool?
  /// `paused` lines: true when the search paused, false when it resumed.
  public var paused: Bool?
  /// `finished` lines: true when a stop command or a signal ended the search before its last generation.
  public var stopped: Bool?

  enum CodingKeys: String, CodingKey {
    case event, time, generation, arch, score, accuracy, loss, flops, params, evaluated, seconds, method, space, settings,
         exhausted, paused, stopped
    case bestScore = "best_score", bestArch = "best_arch", paretoSize = "pareto_size"
  }

  public init(event: String, time: Double = Date().timeIntervalSince1970) { self.event = event; self.time = time }
}

