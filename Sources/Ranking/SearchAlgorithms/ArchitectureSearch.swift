import Common
import RunEvents
import Search

extension SearchSettings {
  public func validate() throws {
    guard generations >= 1 else { throw RDNASError.badInput("--generations must be at least 1") }
    guard population >= 2 else { throw RDNASError.badInput("--population must be at least 2") }
    guard (1...population).contains(parents) else {
      throw RDNASError.badInput("--parents must be between 1 and --population (\(population))")
    }
    guard mutationRate > 0, mutationRate <= 1 else { throw RDNASError.badInput("--mutation-rate must be in (0, 1]") }
    if let p = prefilter, p.factor < 2 { throw RDNASError.badInput("--prefilter-factor must be at least 2") }
  }
}

/// A candidate's figures from the scorer: `score` is what the search maximises; accuracy and loss are kept
/// when the scorer has them (the supernet does; a synthetic score function does not).
public struct CandidateScore: Codable, Equatable, Sendable {
  public var score: Double
  public var accuracy: Double?
  public var loss: Double?
  public init(score: Double, accuracy: Double? = nil, loss: Double? = nil) {
    self.score = score; self.accuracy = accuracy; self.loss = loss
  }
}

/// One evaluated architecture, in the order of evaluation.
public struct EvaluatedArchitecture: Codable, Equatable, Sendable {
  public var arch: Encoding
  public var generation: Int
  public var flops: Double
  public var params: Int
  public var result: CandidateScore
  public var score: Double { result.score }
}

/// The whole state of a search: settings, random state, and every evaluation so far (which is the score
/// cache: a code in `evaluated` is never proposed again). Saved after each generation, so a resumed search
/// proposes exactly what the uninterrupted one would have.
public struct SearchState: Codable, Equatable, Sendable {
  public var settings: SearchSettings
  public var space: String
  public var rng: RandomSource
  /// Generations completed.
  public var generation = 0
  public var evaluated: [EvaluatedArchitecture] = []
  /// Generations that could not be filled with new admitted codes (a small or tightly constrained space).
  public var exhausted = false
  /// Scores of the current, unfinished generation, saved candidate by candidate so that an interrupted search
  /// scores none of them again (the resumed search proposes the same generation). Nil when none.
  public var pending: [PendingScore]?

  public struct PendingScore: Codable, Equatable, Sendable {
    public var arch: Encoding
    public var result: CandidateScore
  }

  public init(settings: SearchSettings, space: String) {
    self.settings = settings; self.space = space
    rng = RandomSource(seed: settings.seed)
  }

  public var isFinished: Bool { exhausted || generation >= settings.generations }

  /// Evaluated architectures, best score first (ties: earlier evaluation first).
  public func ranked() -> [EvaluatedArchitecture] {
    evaluated.enumerated().sorted { a, b in
      a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
    }.map(\.element)
  }

  /// The codes of the last completed generation.
  public var lastGeneration: [EvaluatedArchitecture] { evaluated.filter { $0.generation == generation - 1 } }
}

/// Proposes generations and records their scores. Separating the two lets the caller evaluate a generation
/// however it likes (in one process, or sharded over MPI ranks) and save the state in between.
public struct ArchitectureSearch {
  public let space: any SearchSpace
  public private(set) var state: SearchState
  let coding: GeneCoding
  private var seen: Set<Encoding>
  /// Draws tried per missing child before the generation is given up as unfillable.
  static let attemptsPerChild = 200
  /// The value of `settings.prefilter`'s proxy for a code (nil: could not be scored, ranked last). Must be a
  /// pure function of the code (cached by the caller): proposals are recomputed when a generation is recorded.
  public var prefilterScore: ((Encoding) -> Double?)?

  public init(space: any SearchSpace, state: SearchState) throws {
    try state.settings.validate()
    guard state.space == space.name else {
      throw RDNASError.badInput("the search state is of the \(state.space) space, the run's is \(space.name)")
    }
    try state.settings.constraints.checkFeasible(in: space)
    self.space = space
    self.state = state
    coding = GeneCoding.forSpace(space)
    seen = Set(state.evaluated.map(\.arch))
  }

  public init(space: any SearchSpace, settings: SearchSettings) throws {
    try self.init(space: space, state: SearchState(settings: settings, space: space.name))
  }

  /// The next generation's codes: valid, within the constraints, never evaluated before and distinct.
  /// Empty when the search is finished. Does not change the state; `record` does.
  public func proposeGeneration() -> [Encoding] {
    guard !state.isFinished else { return [] }
    var rng = state.rng
    return propose(using: &rng)
  }

  private func propose(using rng: inout RandomSource) -> [Encoding] {
    let s = state.settings
    // With a pre-filter, draw `factor` times the population and keep the best by the proxy (a pure function
    // of the code, so proposing stays a function of the saved state and a resume proposes the same).
    let target = s.population * (s.prefilter?.factor ?? 1)
    var out = [Encoding](), taken = seen
    func accept(_ e: Encoding?) -> Bool {
      guard let e, !taken.contains(e), (try? space.validate(e)) != nil, s.constraints.admits(e, in: space) else { return false }
      taken.insert(e); out.append(e)
      return true
    }
    let parents = s.method == .evolution && state.generation > 0
      ? state.ranked().prefix(s.parents).map { coding.genes(of: $0.arch, using: &rng) } : []
    let mutants = parents.isEmpty ? 0 : target / 2
    var attempts = 0
    while out.count < mutants, attempts < mutants * Self.attemptsPerChild {
      attempts += 1
      _ = accept(try? coding.encoding(of: coding.mutate(rng.pick(parents), rate: s.mutationRate, using: &rng)))
    }
    attempts = 0
    while !parents.isEmpty, out.count < target,
          attempts < target * Self.attemptsPerChild {
      attempts += 1
      let a = rng.pick(parents), b = rng.pick(parents)
      // Crossover of one parent with itself gives the parent back: mutate such children instead.
      let child = a == b ? coding.mutate(a, rate: s.mutationRate, using: &rng) : coding.crossover(a, b, using: &rng)
      _ = accept(try? coding.encoding(of: child))
    }
    // The first generation, the random baseline, and any shortfall: uniform draws.
    attempts = 0
    while out.count < target, attempts < target * Self.attemptsPerChild {
      attempts += 1
      _ = accept(space.sample(using: &rng))
    }
    guard s.prefilter != nil, let prefilterScore, out.count > s.population else { return out }
    let scores = out.map { prefilterScore($0) ?? -.infinity }
    let order = out.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    return order.prefix(s.population).map { out[$0] }
  }

  /// A score of the current generation already computed (before an interruption), if any.
  public func pendingScore(of e: Encoding) -> CandidateScore? {
    state.pending?.first { $0.arch == e }?.result
  }

  /// Keeps a score of the current generation in the state before the whole generation is recorded.
  public mutating func notePending(_ e: Encoding, _ result: CandidateScore) {
    guard pendingScore(of: e) == nil else { return }
    state.pending = (state.pending ?? []) + [SearchState.PendingScore(arch: e, result: result)]
  }

  /// Records the scores of the proposed generation (`codes` must be `proposeGeneration()`'s answer) and
  /// advances the random state exactly as proposing did.
  public mutating func record(_ codes: [Encoding], scores: [CandidateScore]) throws {
    var rng = state.rng
    let expected = state.isFinished ? [] : propose(using: &rng)
    guard codes == expected, scores.count == codes.count else {
      throw RDNASError.failure("search: recorded codes are not the proposed generation")
    }
    for (e, r) in zip(codes, scores) {
      state.evaluated.append(EvaluatedArchitecture(arch: e, generation: state.generation, flops: space.flops(e),
                                                   params: space.params(e), result: r))
      seen.insert(e)
    }
    state.rng = rng
    state.pending = nil
    if codes.count < state.settings.population { state.exhausted = true }
    state.generation += 1
  }

  /// Runs to the end with a score function (not called for pending scores), calling `afterGeneration` after each (to save, log, print).
  public mutating func run(score: (Encoding) throws -> CandidateScore,
                           afterGeneration: (ArchitectureSearch) throws -> Void = { _ in }) throws {
    while !state.isFinished {
      let codes = proposeGeneration()
      try record(codes, scores: try codes.map { try pendingScore(of: $0) ?? score($0) })
      try afterGeneration(self)
    }
  }
}
