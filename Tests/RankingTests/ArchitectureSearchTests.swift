import Common
import Foundation
import RDNASTestSupport
import RunEvents
import Search
import XCTest

@testable import Ranking

/// The search algorithm on synthetic score functions: valid and admitted codes only, no code scored twice,
/// evolution ahead of random search at equal evaluations, and an exact resume from the saved state.
final class ArchitectureSearchTests: XCTestCase {
  let resnet = ResNetSpace()
  let nb201 = NB201Space()

  /// An additive score over digit positions with seeded weights: a landscape with one optimum that local
  /// moves can climb, unlike random draws in a 10^20-code space.
  func additiveScore(seed: UInt64, length: Int) -> (Encoding) -> CandidateScore {
    var rng = RandomSource(seed: seed)
    let weights = (0..<length).map { _ in (0..<10).map { _ in Double(rng.nextGaussian()) } }
    return { e in CandidateScore(score: zip(e.digits, weights).map { $1[Int($0)] }.reduce(0, +)) }
  }

  func settings(_ method: SearchMethod, seed: UInt64 = 1, generations: Int = 10, population: Int = 20) -> SearchSettings {
    var s = SearchSettings()
    s.method = method; s.seed = seed; s.generations = generations; s.population = population
    return s
  }

  func testGenomesRoundTripAndChildrenAreValid() throws {
    for space in [resnet as any SearchSpace, nb201] {
      let coding = GeneCoding.forSpace(space)
      var rng = RandomSource(seed: 3)
      for _ in 0..<200 {
        let a = space.sample(using: &rng), b = space.sample(using: &rng)
        let ga = coding.genes(of: a, using: &rng), gb = coding.genes(of: b, using: &rng)
        XCTAssertEqual(try coding.encoding(of: ga), a, "\(space.name): genes → code is the identity")
        let mutant = try coding.encoding(of: coding.mutate(ga, rate: 0.1, using: &rng))
        XCTAssertNoThrow(try space.validate(mutant))
        XCTAssertNotEqual(mutant, a, "a mutant differs from its parent")
        XCTAssertNoThrow(try space.validate(try coding.encoding(of: coding.crossover(ga, gb, using: &rng))))
      }
    }
    // The resnet coding covers depth changes (latent block slots), which digit-level mutation cannot.
    var rng = RandomSource(seed: 4)
    let coding = GeneCoding.forSpace(resnet)
    let parent = resnet.sample(using: &rng)
    let depths = Set((0..<200).map { _ in
      try! coding.encoding(of: coding.mutate(coding.genes(of: parent, using: &rng), rate: 0.2, using: &rng)).digits[1]
    })
    XCTAssertGreaterThan(depths.count, 1, "mutation changes stage depths")
  }

  func testEveryEvaluatedCodeIsValidAdmittedAndScoredOnce() throws {
    for space in [resnet as any SearchSpace, nb201] {
      let mid = (space.flops(space.smallest) + space.flops(space.largest)) / 2
      let paramsCap = (space.params(space.smallest) + space.params(space.largest)) / 2
      for method in SearchMethod.allCases {
        var s = settings(method, generations: 6, population: 12)
        s.constraints = CostConstraints(flopsMax: mid, paramsMax: paramsCap)
        var search = try ArchitectureSearch(space: space, settings: s)
        var calls = [Encoding: Int]()
        let score = additiveScore(seed: 9, length: space.largest.count)
        try search.run { e in calls[e, default: 0] += 1; return score(e) }
        XCTAssertEqual(search.state.evaluated.count, 6 * 12, "\(space.name) \(method)")
        XCTAssertEqual(calls.values.max(), 1, "\(space.name) \(method): a code was scored twice")
        XCTAssertEqual(calls.count, search.state.evaluated.count)
        for a in search.state.evaluated {
          XCTAssertNoThrow(try space.validate(a.arch))
          XCTAssertLessThanOrEqual(a.flops, mid)
          XCTAssertLessThanOrEqual(a.params, paramsCap)
        }
      }
    }
  }

  func testASmallSpaceStopsWhenExhaustedInsteadOfRepeating() throws {
    // nb201 under a bound that only the 729 conv-free cells meet: the search ends without re-scoring any.
    let space = nb201
    let cheapest = space.flops(space.smallest)
    let admitted = space.enumerateAll().filter { space.flops($0) <= cheapest }.count
    var s = settings(.evolution, generations: 1000, population: 8)
    s.constraints = CostConstraints(flopsMax: cheapest)
    var search = try ArchitectureSearch(space: space, settings: s)
    var calls = 0
    try search.run { _ in calls += 1; return CandidateScore(score: 0) }
    XCTAssertTrue(search.state.exhausted)
    XCTAssertLessThan(search.state.generation, 1000)
    XCTAssertEqual(Set(search.state.evaluated.map(\.arch)).count, calls, "no cell scored twice")
    // Rejection sampling finds the last few unseen cells only by luck, so "most of them" is the bound.
    XCTAssertLessThanOrEqual(calls, admitted)
    XCTAssertGreaterThan(calls, admitted / 2)
  }

  func testEvolutionBeatsRandomAtEqualEvaluations() throws {
    var wins = 0
    var margins = [Double]()
    for seed in UInt64(1)...3 {
      let score = additiveScore(seed: 100 + seed, length: resnet.encodingLength)
      var best = [SearchMethod: Double]()
      for method in SearchMethod.allCases {
        var search = try ArchitectureSearch(space: resnet, settings: settings(method, seed: seed))
        try search.run(score: score)
        XCTAssertEqual(search.state.evaluated.count, 200)
        best[method] = search.state.ranked()[0].score
      }
      if best[.evolution]! > best[.random]! { wins += 1 }
      margins.append(best[.evolution]! - best[.random]!)
    }
    XCTAssertEqual(wins, 3, "evolution − random best score per seed: \(margins)")
  }

  func testResumeFromTheSavedStateContinuesTheSameSearch() throws {
    let dir = try makeTemporaryDirectory(self)
    let score = additiveScore(seed: 5, length: resnet.encodingLength)
    var straight = try ArchitectureSearch(space: resnet, settings: settings(.evolution, generations: 5, population: 8))
    try straight.run(score: score)

    let folder = SearchFolder(path: dir.path + "/s")
    var first = try ArchitectureSearch(space: resnet, settings: settings(.evolution, generations: 2, population: 8))
    try first.run(score: score) { try folder.save($0.state) }
    var saved = try XCTUnwrap(try folder.loadState())
    XCTAssertEqual(saved, first.state)
    saved.settings.generations = 5
    var resumed = try ArchitectureSearch(space: resnet, state: saved)
    var rescored = 0
    try resumed.run { e in rescored += 1; return score(e) }
    XCTAssertEqual(rescored, 3 * 8, "only the new generations are scored")
    XCTAssertEqual(resumed.state, straight.state)
  }

  func testScoresOfAnInterruptedGenerationAreNotComputedAgain() throws {
    let dir = try makeTemporaryDirectory(self)
    let score = additiveScore(seed: 6, length: resnet.encodingLength)
    var straight = try ArchitectureSearch(space: resnet, settings: settings(.evolution, generations: 3, population: 6))
    try straight.run(score: score)

    // One generation done, then three candidates of the second scored before the process "dies".
    let folder = SearchFolder(path: dir.path + "/s")
    var first = try ArchitectureSearch(space: resnet, settings: settings(.evolution, generations: 3, population: 6))
    let g0 = first.proposeGeneration()
    try first.record(g0, scores: g0.map(score))
    for e in first.proposeGeneration().prefix(3) { first.notePending(e, score(e)) }
    try folder.save(first.state)

    var resumed = try ArchitectureSearch(space: resnet, state: try XCTUnwrap(try folder.loadState()))
    var rescored = [Encoding]()
    try resumed.run { e in rescored.append(e); return score(e) }
    XCTAssertEqual(rescored.count, 3 + 6, "the three pending candidates were not scored again")
    XCTAssertEqual(resumed.state, straight.state)
  }

  func testConstraintsNothingCanMeetAreOneLineBadInput() {
    assertThrowsRDNASError(.badInput, mentions: ["--flops-max", "admits nothing"]) {
      try CostConstraints(flopsMax: 10).checkFeasible(in: resnet)
    }
    assertThrowsRDNASError(.badInput, mentions: ["--params-min", "admits nothing"]) {
      try CostConstraints(paramsMin: 1_000_000_000).checkFeasible(in: nb201)
    }
    assertThrowsRDNASError(.badInput, mentions: ["--flops-min", "above --flops-max"]) {
      try CostConstraints(flopsMin: 2e6, flopsMax: 1e6).checkFeasible(in: resnet)
    }
    // Each bound alone is reachable, together they are not: the cheapest cells have the fewest parameters.
    let cheap = nb201.flops(nb201.smallest)
    let rich = nb201.params(nb201.largest)
    assertThrowsRDNASError(.badInput, mentions: ["random draws", "widen"]) {
      try CostConstraints(flopsMax: cheap, paramsMin: rich).checkFeasible(in: nb201, draws: 2000)
    }
    XCTAssertNoThrow(try CostConstraints(flopsMax: nb201.flops(nb201.largest)).checkFeasible(in: nb201))
  }

  func testParetoFrontAndOutputs() throws {
    XCTAssertEqual(ParetoFront.indices(cost: [3, 1, 2, 4, 2], score: [0.9, 0.5, 0.4, 0.8, 0.7]), [1, 4, 0])
    let dir = try makeTemporaryDirectory(self)
    var search = try ArchitectureSearch(space: nb201, settings: settings(.evolution, generations: 2, population: 6))
    try search.run { e in CandidateScore(score: Double(e.digits.filter { $0 == 3 }.count), accuracy: 0.5, loss: 1) }
    let folder = SearchFolder(path: dir.path + "/s")
    try folder.writeOutputs(search.state, space: nb201, top: 4)
    let top = try ScoreTable.loadCompetitionJSON(path: folder.topPath)
    XCTAssertEqual(top.keys, ["arch1", "arch2", "arch3", "arch4"])
    XCTAssertEqual(top.archs[0], nb201.format(search.state.ranked()[0].arch))
    XCTAssertEqual(top.entries[0].extras["score"].flatMap(Double.init), search.state.ranked()[0].score)
    let svg = try String(contentsOfFile: folder.paretoPath, encoding: .utf8)
    XCTAssertEqual(svg.components(separatedBy: "fill=\"firebrick\"").count - 1, ParetoFront.of(search.state.evaluated).count)
    XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1,
                   12 + ParetoFront.of(search.state.evaluated).count)
  }

  /// A zero-cost pre-filter: each generation is the best `population` by the proxy out of `factor` × as many
  /// proposals, so its proxy values beat the unfiltered search's (same seed); proposing stays a function of
  /// the state (a resumed search proposes the same); factor 1 is refused; states saved before it still load.
  func testPrefilterKeepsTheProxysBestAndResumesTheSame() throws {
    let flops: (Encoding) -> Double? = { self.nb201.flops($0) }
    for method in SearchMethod.allCases {
      var plain = try ArchitectureSearch(space: nb201, settings: settings(method, generations: 3, population: 10))
      var s = settings(method, generations: 3, population: 10)
      s.prefilter = .init(proxy: "flops", factor: 4)
      var filtered = try ArchitectureSearch(space: nb201, settings: s)
      filtered.prefilterScore = flops
      let score = additiveScore(seed: 2, length: nb201.largest.digits.count)
      try plain.run(score: score)
      try filtered.run(score: score)
      let meanPlain = plain.state.evaluated.map { nb201.flops($0.arch) }.reduce(0, +) / 30
      let meanFiltered = filtered.state.evaluated.map { nb201.flops($0.arch) }.reduce(0, +) / 30
      XCTAssertEqual(filtered.state.evaluated.count, 30)
      XCTAssertGreaterThan(meanFiltered, 1.3 * meanPlain, "\(method): the proxy's best are scored")
      // Resume: a search rebuilt from its saved state after one generation proposes the same second one.
      var first = try ArchitectureSearch(space: nb201, settings: s)
      first.prefilterScore = flops
      let g0 = first.proposeGeneration()
      try first.record(g0, scores: g0.map(score))
      let saved = try JSONDecoder().decode(SearchState.self, from: JSONEncoder().encode(first.state))
      var resumed = try ArchitectureSearch(space: nb201, state: saved)
      resumed.prefilterScore = flops
      XCTAssertEqual(resumed.proposeGeneration(), first.proposeGeneration())
      XCTAssertEqual(resumed.proposeGeneration(), Array(filtered.state.evaluated[10..<20].map(\.arch)))
    }
    var bad = settings(.evolution)
    bad.prefilter = .init(proxy: "flops", factor: 1)
    XCTAssertThrowsError(try bad.validate())
    // A state file written before pre-filters existed has no "prefilter" key.
    var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(settings(.random))) as! [String: Any]
    old.removeValue(forKey: "prefilter")
    let decoded = try JSONDecoder().decode(SearchSettings.self, from: JSONSerialization.data(withJSONObject: old))
    XCTAssertNil(decoded.prefilter)
  }
}
