import Common
import Foundation
import XCTest
import RDNASTestSupport

@testable import Ranking

final class CompetitionJSONTests: XCTestCase {
  func parse(_ text: String) throws -> ScoreTable {
    try ScoreTable.parseCompetitionJSON(Data(text.utf8), source: "scores.json")
  }

  func testKeepsNumericArchOrderNotDictionaryOrder() throws {
    let text = #"{"arch1": {"acc": 0.5, "arch": "a"}, "arch2": {"acc": 0.25, "arch": "b"}, "arch10": {"acc": 1, "arch": "c"}, "arch3": {"acc": 0.0, "arch": "d"}}"#
    let table = try parse(text)
    XCTAssertEqual(table.keys, ["arch1", "arch2", "arch3", "arch10"])
    XCTAssertEqual(table.archs, ["a", "b", "d", "c"])
    XCTAssertEqual(table.scores, [0.5, 0.25, 0.0, 1])
  }

  func testOtherKeysKeepFileOrder() throws {
    let text = """
      {"zeta": {"acc": 1, "arch": "z", "nested": {"zeta2": {"x": "}\\"{"}}},
       "alpha": {"acc": 2, "arch": "a"},
       "m\\u00fc": {"acc": 3, "arch": "m"},
       "beta": {"acc": 4, "arch": "b"}}
      """
    XCTAssertEqual(try parse(text).keys, ["zeta", "alpha", "mü", "beta"])
  }

  func testRoundTripKeepsOrderNumbersAndExtras() throws {
    let dir = try makeTemporaryDirectory(self)
    let path = dir.appendingPathComponent("out.json").path
    let text = #"{"b": {"acc": 93.66000000000001, "arch": "x\"y", "loss": 0.125, "tag": [1, "t"]}, "a": {"acc": 1e-05, "arch": "q"}}"#
    let table = try parse(text)
    XCTAssertEqual(table.entries[0].extras, ["loss": "0.125", "tag": #"[1,"t"]"#])
    try table.writeCompetitionJSON(path: path)
    let back = try ScoreTable.loadCompetitionJSON(path: path)
    XCTAssertEqual(back.entries, table.entries)
    XCTAssertEqual(back.source, path)
    // acc is written as a JSON number, not a string.
    let written = try String(contentsOfFile: path, encoding: .utf8)
    XCTAssertTrue(written.contains(#""acc": 93.66000000000001"#), written)
  }

  func testWritesEntriesAddedInCode() throws {
    let table = try ScoreTable(entries: [
      ScoreEntry(key: "arch1", arch: "125", score: 71.5, extras: ["loss": "1.5"]),
      ScoreEntry(key: "arch2", arch: "126", score: 0),
    ], source: "memory")
    let text = String(decoding: try table.competitionJSON(), as: UTF8.self)
    XCTAssertEqual(text, "{\n\"arch1\": {\"acc\": 71.5, \"arch\": \"125\", \"loss\": 1.5},\n\"arch2\": {\"acc\": 0.0, \"arch\": \"126\"}\n}\n")
    XCTAssertEqual(try parse(text), try ScoreTable(entries: table.entries, source: "scores.json"))
  }

  func testNonFiniteScoreCannotBeWritten() throws {
    let table = try ScoreTable(entries: [ScoreEntry(key: "arch1", arch: "1", score: .nan)], source: "memory")
    assertThrowsRDNASError(.any, mentions: ["arch1", "nan"]) { _ = try table.competitionJSON() }
  }

  func testErrorsNameTheFileAndEntry() {
    let cases: [(String, [String])] = [
      ("{not json", ["scores.json", "not valid JSON"]),
      ("[1, 2]", ["scores.json", "expected a JSON object"]),
      (#"{"arch1": 5}"#, ["arch1", "expected an object"]),
      (#"{"arch1": {"arch": "1"}}"#, ["arch1", "missing \"acc\""]),
      (#"{"arch1": {"acc": 1}}"#, ["arch1", "missing \"arch\""]),
      (#"{"arch1": {"acc": "0.5", "arch": "1"}}"#, ["arch1", "\"acc\" is not a number", "\"0.5\""]),
      (#"{"arch1": {"acc": true, "arch": "1"}}"#, ["arch1", "\"acc\" is not a number"]),
      (#"{"arch1": {"acc": null, "arch": "1"}}"#, ["arch1", "\"acc\" is not a number"]),
      (#"{"arch1": {"acc": 1, "arch": 12}}"#, ["arch1", "\"arch\" is not a string"]),
      (#"{"arch1": {"acc": 1, "arch": "7"}, "arch2": {"acc": 2, "arch": "7"}}"#,
       ["scores.json", "duplicate architecture '7'", "'arch1' (#1)", "'arch2' (#2)"]),
    ]
    for (text, fragments) in cases {
      assertThrowsRDNASError(.any, mentions: fragments) { _ = try self.parse(text) }
    }
    assertThrowsRDNASError(.any, mentions: ["missing.json", "cannot read"]) { _ = try ScoreTable.loadCompetitionJSON(path: "/nonexistent/missing.json") }
  }

  func testCompetitionFileLoadsInOrder() throws {
    let url = sharedDataURL("data/cvpr22/CVPR_2022_NAS_Track1_test.json")
    guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no \(url.path)") }
    let table = try ScoreTable.loadCompetitionJSON(path: url.path)
    XCTAssertEqual(table.count, 45_000)
    XCTAssertEqual(table.keys.first, "arch1")
    XCTAssertEqual(table.keys.last, "arch45000")
    XCTAssertEqual(table.entries[0].arch, "1252233313000000223212122253130000000000006515000000")
    XCTAssertEqual(table.entries[1].arch, "1447233323333300331313230025153545153545003252000000")
  }

  func testScoringByTheLossFieldNegatesIt() throws {
    let text = #"{"arch1": {"acc": 0.5, "arch": "a", "loss": 1.25}, "arch2": {"acc": 0.5, "arch": "b", "loss": 0.75}}"#
    let t = try ScoreTable.parseCompetitionJSON(Data(text.utf8), source: "t.json").scoredBy(field: "loss")
    XCTAssertEqual(t.scores, [-1.25, -0.75])
    XCTAssertEqual(t.archs, ["a", "b"])
    XCTAssertThrowsError(try t.scoredBy(field: "params")) { error in
      XCTAssertTrue("\(error)".contains("no numeric \"params\""), "\(error)")
    }
  }
}
