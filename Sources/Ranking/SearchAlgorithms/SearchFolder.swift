import Common
import Foundation
import RunEvents
import Search

/// Where a search keeps its record inside a run folder: `<run>/search/<name>/` with `state.json` (the
/// resumable state, replaced atomically after each generation), `events.jsonl` (append-only log),
/// `top.json` (the best candidates in the competition format) and `pareto.svg`.
public struct SearchFolder {
  public let path: String
  public init(path: String) { self.path = path }
  public init(runFolder: String, name: String) { path = runFolder + "/search/" + name }

  public var statePath: String { path + "/state.json" }
  public var eventsPath: String { path + "/events.jsonl" }
  public var topPath: String { path + "/top.json" }
  public var paretoPath: String { path + "/pareto.svg" }

  /// The saved state, or nil when this search has not started.
  public func loadState() throws -> SearchState? {
    guard FileManager.default.fileExists(atPath: statePath) else { return nil }
    do {
      return try JSONDecoder().decode(SearchState.self, from: Data(contentsOf: URL(fileURLWithPath: statePath)))
    } catch {
      throw RDNASError.badFile(path: statePath, reason: "not a search state: \(error)")
    }
  }

  public func save(_ state: SearchState) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try write(try encoder.encode(state), to: statePath)
  }

  /// Appends one JSON line per event; a line is written with one `write` so a crash leaves whole lines.
  public func append(_ events: [SearchEvent]) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var text = Data()
    for e in events { text += try encoder.encode(e); text += Data("\n".utf8) }
    let fd = open(eventsPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard fd >= 0 else { throw RDNASError.badFile(path: eventsPath, reason: "cannot open for appending") }
    defer { close(fd) }
    let written = text.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    guard written == text.count else { throw RDNASError.badFile(path: eventsPath, reason: "short write (disk full?)") }
  }

  /// The top `k` candidates as competition JSON (`acc` is the supernet accuracy when known, else the score)
  /// and the Pareto front SVG.
  public func writeOutputs(_ state: SearchState, space: any SearchSpace, top k: Int) throws {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try ScoreTable(entries: Self.topEntries(state, space: space, top: k), source: topPath)
      .writeCompetitionJSON(path: topPath)
    try write(Data(ParetoFrontSVG(state: state).svg().utf8), to: paretoPath)
  }

  static func topEntries(_ state: SearchState, space: any SearchSpace, top k: Int) -> [ScoreEntry] {
    state.ranked().prefix(k).enumerated().map { i, a in
      var extras = ["score": "\(a.score)", "flops": "\(a.flops)", "params": "\(a.params)",
                    "generation": "\(a.generation)"]
      if let loss = a.result.loss { extras["loss"] = "\(loss)" }
      return ScoreEntry(key: "arch\(i + 1)", arch: space.format(a.arch), score: a.result.accuracy ?? a.score,
                        extras: extras)
    }
  }

  private func write(_ data: Data, to file: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      try data.write(to: URL(fileURLWithPath: file), options: .atomic)
    } catch {
      throw RDNASError.badFile(path: file, reason: "cannot write: \(error.localizedDescription)")
    }
  }
}

extension SearchEvent {
  public static func started(_ state: SearchState) -> SearchEvent {
    var e = SearchEvent(event: "started")
    e.method = state.settings.method.rawValue; e.space = state.space; e.settings = state.settings
    e.generation = state.generation; e.evaluated = state.evaluated.count
    return e
  }

  /// The candidate lines of the last completed generation, then its summary line.
  public static func generation(_ state: SearchState, space: any SearchSpace, seconds: Double) -> [SearchEvent] {
    var lines = state.lastGeneration.map { a -> SearchEvent in
      var e = SearchEvent(event: "candidate")
      e.generation = a.generation; e.arch = space.format(a.arch); e.score = a.score
      e.accuracy = a.result.accuracy; e.loss = a.result.loss; e.flops = a.flops; e.params = a.params
      return e
    }
    var g = summary(state, space: space, event: "generation")
    g.generation = state.generation - 1; g.seconds = seconds
    lines.append(g)
    return lines
  }

  /// One candidate of the generation being scored, as soon as its score is saved (the generation's
  /// `candidate` lines repeat it once the generation is complete).
  public static func scored(_ arch: Encoding, _ result: CandidateScore, generation: Int, space: any SearchSpace) -> SearchEvent {
    var e = SearchEvent(event: "scored")
    e.generation = generation; e.arch = space.format(arch); e.score = result.score
    e.accuracy = result.accuracy; e.loss = result.loss; e.flops = space.flops(arch); e.params = space.params(arch)
    return e
  }

  /// The search paused (`paused` true) or resumed, between candidates.
  public static func paused(_ paused: Bool, _ state: SearchState) -> SearchEvent {
    var e = SearchEvent(event: "paused")
    e.paused = paused; e.generation = state.generation; e.evaluated = state.evaluated.count
    return e
  }

  /// `stopped`: a stop command or signal ended the search before its last generation (resumable).
  public static func finished(_ state: SearchState, space: any SearchSpace, stopped: Bool = false) -> SearchEvent {
    var e = summary(state, space: space, event: "finished")
    e.exhausted = state.exhausted
    if stopped { e.stopped = true }
    return e
  }

  static func summary(_ state: SearchState, space: any SearchSpace, event: String) -> SearchEvent {
    var e = SearchEvent(event: event)
    e.evaluated = state.evaluated.count
    if let best = state.ranked().first { e.bestScore = best.score; e.bestArch = space.format(best.arch) }
    e.paretoSize = ParetoFront.of(state.evaluated).count
    return e
  }
}
