import Common
import XCTest
import RDNASTestSupport

@testable import Search

final class NB201SpaceTests: XCTestCase {
  let space = NB201Space()
  let example = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"

  func testParsesBenchmarkStringAndDigits() throws {
    let e = try space.parse(example)
    XCTAssertEqual(e.digits, [3, 3, 4, 1, 3, 1])
    XCTAssertEqual(space.format(e), example)
    XCTAssertEqual(try space.parse("334131"), e)
    XCTAssertEqual(try space.parse(" \(example)\n"), e)
  }

  func testParseErrorsNameTheEdge() {
    assertThrowsRDNASError(.badInput, mentions: ["edge 2←1", "unknown op 'conv_3x3'"]) {
      _ = try space.parse("|nor_conv_3x3~0|+|none~0|conv_3x3~1|+|none~0|none~1|none~2|")
    }
    assertThrowsRDNASError(.badInput, mentions: ["edge 3←2", "input index '1' should be 2"]) {
      _ = try space.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~1|")
    }
    assertThrowsRDNASError(.badInput, mentions: ["node 2 needs 2 inputs, found 1"]) { _ = try space.parse("|none~0|+|none~0|+|none~0|none~1|none~2|") }
    assertThrowsRDNASError(.badInput, mentions: ["expected 3 node groups"]) { _ = try space.parse("|none~0|+|none~0|none~1|") }
    assertThrowsRDNASError(.badInput, mentions: ["edge 1←0", "'none' is not op~input"]) {
      _ = try space.parse("|none|+|none~0|none~1|+|none~0|none~1|none~2|")
    }
    assertThrowsRDNASError(.badInput, mentions: ["edge 3←1 (position 4)", "op 7 is not 0...4"]) { _ = try space.parse("334171") }
    assertThrowsRDNASError(.badInput, mentions: ["expected six op digits"]) { _ = try space.parse("33413") }
    assertThrowsRDNASError(.badInput, mentions: ["has 5 edges"]) { try space.validate(Encoding(digits: [0, 0, 0, 0, 0])) }
  }

  func testEnumerateAllIsDistinctAndComplete() throws {
    let all = space.enumerateAll()
    XCTAssertEqual(all.count, 15_625)
    XCTAssertEqual(Set(all).count, 15_625)
    for e in all { try space.validate(e) }
    XCTAssertEqual(all.first?.digits, [0, 0, 0, 0, 0, 0])
    XCTAssertEqual(all.last?.digits, [4, 4, 4, 4, 4, 4])
    XCTAssertEqual(Double(all.count), space.size)
  }

  func testSamplingIsValidAndUniformPerEdge() throws {
    var rng = RandomSource(seed: 11)
    var counts = [[Int]](repeating: [0, 0, 0, 0, 0], count: 6)
    for _ in 0..<10_000 {
      let e = space.sample(using: &rng)
      try space.validate(e)
      for k in 0..<6 { counts[k][Int(e.digits[k])] += 1 }
    }
    for (k, c) in counts.enumerated() {
      XCTAssertLessThan(chiSquareUniform(c), chiSquareCritical001[4]!, "\(NB201Space.edgeName(k)) \(c)")
    }
  }

  func testLargestAndSmallest() {
    XCTAssertEqual(space.format(space.largest),
                   "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|")
    XCTAssertEqual(space.smallest.digits, [0, 0, 0, 0, 0, 0])
  }

  func testHammingDistance() throws {
    let a = try space.parse("334131"), b = try space.parse("304121")
    XCTAssertEqual(space.distance(a, a), 0)
    XCTAssertEqual(space.distance(a, b), 2)
    XCTAssertEqual(space.distance(space.largest, space.smallest), 6)
  }

  func testOpDistanceTable() {
    // rows/columns: none, skip, conv1x1, conv3x3, pool
    let table: [[Double]] = [
      [0, 0.5, 2, 2, 0.5],
      [0.5, 0, 2, 2, 0.5],
      [2, 2, 0, 0.5, 2],
      [2, 2, 0.5, 0, 2],
      [0.5, 0.5, 2, 2, 0],
    ]
    for x in 0..<5 {
      for y in 0..<5 {
        XCTAssertEqual(NB201Space.opDistance(UInt8(x), UInt8(y)), table[x][y], "\(NB201Space.opNames[x])↔\(NB201Space.opNames[y])")
      }
    }
    // Mean over uniform pairs is the paper's threshold 6.7 (6 · 28/25).
    let mean = 6 * table.joined().reduce(0, +) / 25
    XCTAssertEqual(mean, 6.72, accuracy: 1e-12)
  }

  func testWeightedDistance() throws {
    let a = try space.parse("334131"), b = try space.parse("234130")
    // 3↔2 conv↔conv 0.5, 1↔0 skip↔none 0.5, rest equal.
    XCTAssertEqual(space.weightedDistance(a, b), 1.0)
    XCTAssertEqual(space.weightedDistance(space.largest, space.smallest), 12)
  }
}
