import Common
import XCTest
import RDNASTestSupport

@testable import Search

final class ResNetEncodingTests: XCTestCase {
  let space = ResNetSpace()

  func testLayoutHasFiftyTwoDigits() {
    XCTAssertEqual(space.encodingLength, 52)
    XCTAssertEqual(space.stemPosition, 5)
    XCTAssertEqual(space.midPosition(stage: 0, block: 0), 6)
    XCTAssertEqual(space.midPosition(stage: 1, block: 0), 16)
    XCTAssertEqual(space.midPosition(stage: 2, block: 0), 26)
    XCTAssertEqual(space.midPosition(stage: 3, block: 0), 42)
    XCTAssertEqual(space.midPosition(stage: 3, block: 4), 50)
  }

  /// Method doc §1.2: depths 2,5,2,2; stem 3; the listed (mid, out) pairs.
  func testDocumentedExampleDecodes() throws {
    let e = try space.parse(competitionExample)
    let arch = space.decode(e)
    XCTAssertEqual(arch.depths, [2, 5, 2, 2])
    XCTAssertEqual(arch.resolution, 32)
    XCTAssertEqual(e.digits[space.stemPosition], 3)
    let pairs: [[(Int, Int)]] = [
      [(3, 3), (1, 3)],
      [(2, 2), (3, 2), (1, 2), (1, 2), (2, 2)],
      [(5, 3), (1, 3)],
      [(6, 5), (1, 5)],
    ]
    for (s, stage) in pairs.enumerated() {
      XCTAssertEqual(arch.blocks[s].count, stage.count)
      for (b, (mid, out)) in stage.enumerated() {
        let p = space.midPosition(stage: s, block: b)
        XCTAssertEqual(Int(e.digits[p]), mid, "stage \(s + 1) block \(b + 1) mid code")
        XCTAssertEqual(Int(e.digits[p + 1]), out, "stage \(s + 1) block \(b + 1) out code")
        XCTAssertEqual(arch.blocks[s][b], ResNetBlockWidths(mid: space.width(stage: s, code: mid),
                                                            out: space.width(stage: s, code: out)))
      }
    }
    XCTAssertEqual(arch.stemWidth, space.width(stage: 0, code: 3))
    XCTAssertEqual(arch.stageWidths, [16, 32, 56, 104])
    XCTAssertEqual(space.format(e), competitionExample)
  }

  /// Every code of the competition test set parses, validates and round-trips.
  func testAllCompetitionCodesRoundTrip() throws {
    let path = try requireSharedFile("cvpr22/CVPR_2022_NAS_Track1_test.json")
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    XCTAssertEqual(object.count, 45_000)
    var seen = Set<Encoding>()
    for (key, entry) in object {
      let code = try XCTUnwrap(entry["arch"] as? String, key)
      let e = try space.parse(code)
      try space.validate(e)
      XCTAssertEqual(space.format(e), code, key)
      seen.insert(e)
    }
    XCTAssertGreaterThan(seen.count, 44_000, "codes should be (nearly) all distinct")
  }

  func testParseIgnoresSurroundingWhitespace() throws {
    XCTAssertEqual(try space.parse("  \(competitionExample)\n").description, competitionExample)
  }

  func testEncodingCodableIsADigitString() throws {
    let e = try space.parse(competitionExample)
    let json = try JSONEncoder().encode([e])
    XCTAssertEqual(String(decoding: json, as: UTF8.self), "[\"\(competitionExample)\"]")
    XCTAssertEqual(try JSONDecoder().decode([Encoding].self, from: json), [e])
    XCTAssertThrowsError(try JSONDecoder().decode([Encoding].self, from: Data("[\"12a\"]".utf8)))
  }

  // MARK: validation errors, each naming its position

  private func mutated(_ p: Int, _ v: Character) -> String {
    var chars = Array(competitionExample)
    chars[p] = v
    return String(chars)
  }

  func testLengthError() {
    assertThrowsRDNASError(.badInput, mentions: ["has 51 digits, expected 52"]) { _ = try space.parse(String(competitionExample.dropLast())) }
    assertThrowsRDNASError(.badInput, mentions: ["has 0 digits"]) { _ = try space.parse("") }
  }

  func testNonDigitError() {
    assertThrowsRDNASError(.badInput, mentions: ["position 7", "'x' is not a digit"]) { _ = try space.parse(mutated(7, "x")) }
    assertThrowsRDNASError(.badInput, mentions: ["position 9", "value 12 is not a digit"]) {
      var digits = try space.parse(competitionExample).digits
      digits[9] = 12
      try space.validate(Encoding(digits: digits))
    }
  }

  func testResolutionError() {
    assertThrowsRDNASError(.badInput, mentions: ["position 0 (resolution code)", "must be 1"]) { _ = try space.parse(mutated(0, "2")) }
  }

  func testDepthErrors() {
    assertThrowsRDNASError(.badInput, mentions: ["position 1 (stage 1 depth)", "depth 1 outside 2...5"]) { _ = try space.parse(mutated(1, "1")) }
    assertThrowsRDNASError(.badInput, mentions: ["position 3 (stage 3 depth)", "depth 9 outside 2...8"]) { _ = try space.parse(mutated(3, "9")) }
  }

  func testStemErrors() {
    assertThrowsRDNASError(.badInput, mentions: ["position 5 (stem code)", "not a width code"]) { _ = try space.parse(mutated(5, "0")) }
    assertThrowsRDNASError(.badInput, mentions: ["position 5 (stem code)", "must equal the stage 1 output code 3"]) {
      _ = try space.parse(mutated(5, "2"))
    }
  }

  func testActiveBlockCodeErrors() {
    assertThrowsRDNASError(.badInput, mentions: ["position 6 (stage 1 block 1 mid code)", "mid code 0"]) { _ = try space.parse(mutated(6, "0")) }
    assertThrowsRDNASError(.badInput, mentions: ["position 43 (stage 4 block 1 output code)", "output code 8"]) {
      _ = try space.parse(mutated(43, "8"))
    }
    assertThrowsRDNASError(.badInput, mentions: ["position 44 (stage 4 block 2 mid code)", "mid code 9"]) { _ = try space.parse(mutated(44, "9")) }
  }

  func testTiedOutputError() {
    assertThrowsRDNASError(.badInput, mentions: ["position 19 (stage 2 block 2 output code)", "differs from the stage's first output code 2"]) {
      _ = try space.parse(mutated(19, "3"))
    }
  }

  func testPaddingErrors() {
    assertThrowsRDNASError(.badInput, mentions: ["position 10 (stage 1 block 3 mid code)", "padding"]) { _ = try space.parse(mutated(10, "1")) }
    assertThrowsRDNASError(.badInput, mentions: ["position 51 (stage 4 block 5 output code)", "padding"]) { _ = try space.parse(mutated(51, "1")) }
  }

  func testDecodeOfGarbageDoesNotCrash() {
    let arch = space.decode(Encoding(digits: [1, 9, 9]))
    XCTAssertEqual(arch.depths, [5, 5, 0, 0])
    XCTAssertTrue(space.flops(Encoding(digits: [])).isFinite)
  }
}
