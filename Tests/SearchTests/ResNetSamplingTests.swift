import Common
import XCTest
import RDNASTestSupport

@testable import Search

final class ResNetSamplingTests: XCTestCase {
  let space = ResNetSpace()

  func testSamplesValidateAndAreTied() throws {
    var rng = RandomSource(seed: 7)
    for _ in 0..<2_000 {
      let e = space.sample(using: &rng)
      try space.validate(e)
      XCTAssertEqual(e.digits[space.stemPosition], e.digits[space.midPosition(stage: 0, block: 0) + 1])
      let arch = space.decode(e)
      for stage in arch.blocks { XCTAssertEqual(Set(stage.map(\.out)).count, 1) }
      XCTAssertEqual(arch.stemWidth, arch.stageWidths[0])
    }
  }

  func testSamplingIsReproducibleFromTheSeed() {
    var a = RandomSource(seed: 42), b = RandomSource(seed: 42)
    XCTAssertEqual((0..<50).map { _ in space.sample(using: &a) }, (0..<50).map { _ in space.sample(using: &b) })
  }

  /// Depths, output codes and mid codes are each uniform (χ² at p = 0.001 on a fixed seed).
  func testSamplingIsUniform() {
    var rng = RandomSource(seed: 2024)
    var depthCounts = space.config.maxDepths.map { [Int](repeating: 0, count: $0 - 1) }
    var outCounts = [[Int]](repeating: [Int](repeating: 0, count: 7), count: 4)
    var midCounts = [Int](repeating: 0, count: 7)
    for _ in 0..<14_000 {
      let e = space.sample(using: &rng)
      for s in 0..<4 {
        let depth = Int(e.digits[space.depthPosition(stage: s)])
        depthCounts[s][depth - 2] += 1
        outCounts[s][Int(e.digits[space.midPosition(stage: s, block: 0) + 1]) - 1] += 1
        for b in 0..<depth { midCounts[Int(e.digits[space.midPosition(stage: s, block: b)]) - 1] += 1 }
      }
    }
    for (s, counts) in depthCounts.enumerated() {
      XCTAssertLessThan(chiSquareUniform(counts), chiSquareCritical001[counts.count - 1]!, "stage \(s + 1) depth \(counts)")
    }
    for (s, counts) in outCounts.enumerated() {
      XCTAssertLessThan(chiSquareUniform(counts), chiSquareCritical001[6]!, "stage \(s + 1) output codes \(counts)")
    }
    XCTAssertLessThan(chiSquareUniform(midCounts), chiSquareCritical001[6]!, "mid codes \(midCounts)")
  }

  func testCompetitionChoiceSetsRestrictSampling() throws {
    let space = try ResNetSpace(config: .competition)
    var rng = RandomSource(seed: 3)
    var maxCode = [0, 0, 0, 0]
    for _ in 0..<3_000 {
      let e = space.sample(using: &rng)
      for s in 0..<4 {
        for b in 0..<Int(e.digits[space.depthPosition(stage: s)]) {
          let p = space.midPosition(stage: s, block: b)
          maxCode[s] = max(maxCode[s], Int(e.digits[p]), Int(e.digits[p + 1]))
        }
      }
    }
    XCTAssertEqual(maxCode, [3, 3, 5, 7])
  }

  func testLargestAndSmallest() throws {
    XCTAssertEqual(space.largest.description, "1558511111111111111111111111111111111111111111111111")
    XCTAssertEqual(space.smallest.description, "1222277777000000777700000077770000000000007777000000")
    let competition = try ResNetSpace(config: .competition)
    XCTAssertEqual(competition.smallest.description, "1222233333000000333300000055550000000000007777000000")
    try space.validate(space.largest)
    try space.validate(space.smallest)
  }

  /// Tied counts: per stage |C|·Σ_d |C|^d. Competition sets: 1080·1080·2,441,375·137,200 (method doc §1.5).
  func testSizeCountsTheTiedSpace() throws {
    let competition = try ResNetSpace(config: .competition)
    XCTAssertEqual(competition.size, 1080.0 * 1080 * 2_441_375 * 137_200)
    let perFive = 7.0 * (49 + 343 + 2401 + 16807)
    let perEight = 7.0 * (49 + 343 + 2401 + 16807 + 117_649 + 823_543 + 5_764_801)
    XCTAssertEqual(space.size, perFive * perFive * perEight * perFive)
  }

  func testDistanceCountsStemAndBlockDigits() throws {
    let a = try space.parse(competitionExample)
    XCTAssertEqual(space.distance(a, a), 0)
    var digits = a.digits
    digits[1] = 3  // depth digit: not counted …
    digits[10] = 1  // … but the slot it activates is
    digits[11] = 3
    XCTAssertEqual(space.distance(a, Encoding(digits: digits)), 2)
    XCTAssertEqual(space.distance(space.largest, space.smallest), 47, "every stem and block digit differs")
  }

  func testMakeRejectsInconsistentChoices() {
    assertThrowsRDNASError(.badInput, mentions: ["stage 2 has depth 2"]) {
      _ = try space.make(depths: [2, 2, 2, 2], outCodes: [1, 1, 1, 1], midCodes: [[1, 1], [1], [1, 1], [1, 1]])
    }
    assertThrowsRDNASError(.badInput, mentions: ["position 1 (stage 1 depth)"]) {
      _ = try space.make(depths: [1, 2, 2, 2], outCodes: [1, 1, 1, 1], midCodes: [[1], [1, 1], [1, 1], [1, 1]])
    }
  }
}
