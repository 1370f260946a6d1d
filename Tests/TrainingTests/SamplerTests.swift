import XCTest
import Common
import Search
@testable import Training

final class SamplerTests: XCTestCase {
  func testFairNASUsesEveryChoiceExactlyOncePerGroup() throws {
    var rng = RandomSource(seed: 1)
    let nb = NB201Space()
    for _ in 0..<20 {
      let group = FairSampler(space: nb).group(rng: &rng)
      XCTAssertEqual(group.count, 5)
      for e in 0..<6 { XCTAssertEqual(Set(group.map { $0.digits[e] }), Set(0..<5)) }
    }
    let rs = ResNetSpace()
    for _ in 0..<20 {
      let group = FairSampler(space: rs).group(rng: &rng)
      XCTAssertEqual(group.count, 7)
      for g in group { XCTAssertNoThrow(try rs.validate(g)) }
      // Every free digit position (stem, mids, outputs of active blocks) cycles through all 7 codes.
      for p in 5..<52 where group[0].digits[p] != 0 {
        XCTAssertEqual(Set(group.map { $0.digits[p] }), Set(1...7), "position \(p)")
      }
      XCTAssertEqual(Set(group.map { Array($0.digits[1...4]) }).count, 1, "depths are shared in a group")
    }
  }

  func testSPOSIsUniformOverNB201Ops() {
    var rng = RandomSource(seed: 2)
    let sampler = PathSampler(space: NB201Space(), strategy: .spos, paths: 1, epochs: 1)
    var counts = [[Int]](repeating: [Int](repeating: 0, count: 5), count: 6)
    let n = 10_000
    for _ in 0..<n { for (e, d) in sampler.paths(epoch: 0, rng: &rng)[0].arch.digits.enumerated() { counts[e][Int(d)] += 1 } }
    for e in 0..<6 {
      let expected = Double(n) / 5
      let chi2 = counts[e].reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
      XCTAssertLessThan(chi2, 18.47, "edge \(e): χ² = \(chi2) (4 d.o.f., p = 0.001)")
    }
  }

  func testSandwichHasLargestSmallestAndRandomDistilled() {
    let rs = ResNetSpace()
    var rng = RandomSource(seed: 3)
    let p = PathSampler(space: rs, strategy: .sandwich, paths: 4, epochs: 1).paths(epoch: 0, rng: &rng)
    XCTAssertEqual(p.map(\.role), [.largest, .smallest, .random, .random])
    XCTAssertEqual(p[0].arch, rs.largest)
    XCTAssertEqual(p[1].arch, rs.smallest)
    XCTAssertEqual(p.map(\.distilled), [false, true, true, true])
  }

  func testProgressiveShrinkingPhases() throws {
    let rs = ResNetSpace()
    let ps = ProgressiveShrinking(space: rs, epochs: 70)
    XCTAssertEqual(ps.phase(epoch: 0), 0)
    XCTAssertEqual(ps.phase(epoch: 25), 1)
    XCTAssertEqual(ps.phase(epoch: 69), 8)
    var rng = RandomSource(seed: 4)
    for _ in 0..<50 {
      // Phase 0: full width, depth within 1 of the max (2 for the 8-deep stage).
      let a = rs.decode(ps.sample(epoch: 0, rng: &rng))
      for s in 0..<4 {
        XCTAssertGreaterThanOrEqual(a.depths[s], rs.config.maxDepths[s] - (s == 2 ? 2 : 1))
        XCTAssertEqual(a.stageWidths[s], rs.maxWidths[s])
      }
      // First width phase: only the two widest codes.
      let e = ps.sample(epoch: 40, rng: &rng)
      for p in 5..<52 where e.digits[p] != 0 { XCTAssertLessThanOrEqual(e.digits[p], 2) }
    }
  }

  func testLambdaSchedulesMatchTheReferenceAt70Epochs() {
    typealias L = RankLossConfig.LambdaSchedule
    XCTAssertEqual(L.warmup.lambda(epoch: 0, epochs: 70, maxLambda: 2), 0)
    XCTAssertEqual(L.warmup.lambda(epoch: 10, epochs: 70, maxLambda: 2), 1, accuracy: 1e-12)
    XCTAssertEqual(L.warmup.lambda(epoch: 35, epochs: 70, maxLambda: 2), 2)
    XCTAssertEqual(L.constant.lambda(epoch: 3, epochs: 70, maxLambda: 1.5), 1.5)
    XCTAssertEqual(L.cosine.lambda(epoch: 35, epochs: 70, maxLambda: 2), 2 * sin(0.4 * Double.pi), accuracy: 1e-12)
    XCTAssertEqual(L.multistage.lambda(epoch: 4, epochs: 70, maxLambda: 2), 0)
    XCTAssertEqual(L.multistage.lambda(epoch: 30, epochs: 70, maxLambda: 2), 2)
    XCTAssertEqual(L.multistage.lambda(epoch: 60, epochs: 70, maxLambda: 2), 1, accuracy: 1e-12)
    // Shorter runs keep the shape: warm-up reaches λmax at 2/7 of the run.
    XCTAssertEqual(L.warmup.lambda(epoch: 2, epochs: 7, maxLambda: 2), 2, accuracy: 1e-12)
  }
}
