import Common
import Foundation
import XCTest
import RDNASTestSupport

@testable import Ranking

final class ScoreCSVTests: XCTestCase {
  let nb201Like = """
    CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,ImageNetTestAccuracy200Epochs,ArchitectureString,UniqueString
    85.5,52.9,26.6,|avg_pool_3x3~0|+|a|,u0
    93.6,70.2,44.0,|nor_conv_3x3~0|+|b|,u1
    10.0,1.0,0.8,|none~0|+|c|,u2

    """

  func testNB201ColumnsByAliasAndName() throws {
    let dir = try makeTemporaryDirectory(self)
    let path = dir.appendingPathComponent("nb.csv").path
    try nb201Like.write(toFile: path, atomically: true, encoding: .utf8)
    let c10 = try ScoreTable.loadNB201(path: path, dataset: "cifar10")
    XCTAssertEqual(c10.keys, ["0", "1", "2"])
    XCTAssertEqual(c10.archs, ["|avg_pool_3x3~0|+|a|", "|nor_conv_3x3~0|+|b|", "|none~0|+|c|"])
    XCTAssertEqual(c10.scores, [85.5, 93.6, 10.0])
    XCTAssertEqual(try ScoreTable.loadNB201(path: path, dataset: "CIFAR100").scores, [52.9, 70.2, 1.0])
    XCTAssertEqual(try ScoreTable.loadNB201(path: path, dataset: "imagenet").scores, [26.6, 44.0, 0.8])
    XCTAssertEqual(try ScoreTable.loadNB201(path: path, dataset: "ImageNetTestAccuracy200Epochs").scores, [26.6, 44.0, 0.8])
    assertThrowsRDNASError(.any, mentions: ["nb.csv", "no column 'svhn'", "ArchitectureString"]) { _ = try ScoreTable.loadNB201(path: path, dataset: "svhn") }
  }

  func testGenericCSVWithQuotesKeysAndCRLF() throws {
    let text = "\u{FEFF}name,\"the score\",enc\r\nalpha,0.5,\"x,1\"\r\n\"be\"\"ta\", 2 ,y\r\n"
    let table = try ScoreTable.parseCSV(text, source: "s.csv", scoreColumn: "the score", keyColumn: "name", archColumn: "enc")
    XCTAssertEqual(table.keys, ["alpha", "be\"ta"])
    XCTAssertEqual(table.archs, ["x,1", "y"])
    XCTAssertEqual(table.scores, [0.5, 2])
    // Without an arch column the key stands in for it.
    let keyed = try ScoreTable.parseCSV(text, source: "s.csv", scoreColumn: "the score", keyColumn: "name")
    XCTAssertEqual(keyed.archs, keyed.keys)
  }

  func testErrorsNameTheFileAndLine() {
    let header = "key,score,arch\n"
    let cases: [(String, [String])] = [
      ("", ["s.csv", "empty file"]),
      (header + "a,1,x\nb,oops,y\n", ["s.csv", "line 3", "score 'oops' is not a finite number"]),
      (header + "a,nan,x\n", ["line 2", "'nan'"]),
      (header + "a,,x\n", ["line 2", "score ''"]),
      (header + "a,1,x\nb,2\n", ["line 3", "2 fields, the header has 3"]),
      (header + "a,1,x\n\nb,2,y\n", ["line 3", "empty line"]),
      (header + "a,1,x\nb,2,\"y\n", ["line 3", "never closed"]),
      (header + "a,1,x\"q\n", ["line 2", "stray quote"]),
      (header + "a,1,x\nb,2,y\nc,3,x\n", ["s.csv", "duplicate architecture 'x'", "line 2 and line 4"]),
      (header + "a,1,x\na,2,y\n", ["duplicate key 'a'", "line 2 and line 3"]),
      (header + "a,1,\n", ["line 2", "empty arch"]),
    ]
    for (text, fragments) in cases {
      assertThrowsRDNASError(.any, mentions: fragments) {
        _ = try ScoreTable.parseCSV(text, source: "s.csv", scoreColumn: "score", keyColumn: "key", archColumn: "arch")
      }
    }
    assertThrowsRDNASError(.any, mentions: ["no column 'acc'", "key, score, arch"]) {
      _ = try ScoreTable.parseCSV(header, source: "s.csv", scoreColumn: "acc")
    }
  }

  func testRealNB201GroundTruth() throws {
    let url = sharedDataURL("data/nasbench201/nb201_test_acc_200ep.csv")
    guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("no \(url.path)") }
    let table = try ScoreTable.loadNB201(path: url.path, dataset: "cifar10")
    XCTAssertEqual(table.count, 15_625)
    XCTAssertEqual(table.keys[1], "1")
    XCTAssertEqual(table.entries[1].score, 93.66000000000001)
    XCTAssertEqual(table.scores.max() ?? 0, 94.373, accuracy: 0.001)
    XCTAssertTrue(table.archs[0].hasPrefix("|avg_pool_3x3~0|+|nor_conv_1x1~0|"))
  }
}

final class ScoreAlignmentTests: XCTestCase {
  func table(_ rows: [(String, String, Double)], _ source: String) throws -> ScoreTable {
    try ScoreTable(entries: rows.map { ScoreEntry(key: $0.0, arch: $0.1, score: $0.2) }, source: source)
  }

  func testJoinsByArchInFirstTableOrder() throws {
    let a = try table([("arch1", "p", 1), ("arch2", "q", 2), ("arch3", "r", 3), ("arch4", "s", 4)], "a.json")
    let b = try table([("0", "r", 30), ("1", "p", 10), ("2", "t", 99)], "b.csv")
    let joined = try a.aligned(with: b)
    XCTAssertEqual(joined.keys, ["arch1", "arch3"])
    XCTAssertEqual(joined.x, [1, 3])
    XCTAssertEqual(joined.y, [10, 30])
    XCTAssertEqual(joined.joinedBy, .arch)
    XCTAssertEqual(joined.droppedFromFirst, 2)
    XCTAssertEqual(joined.droppedFromSecond, 1)
  }

  func testFallsBackToKeysWhenNoArchIsShared() throws {
    let a = try table([("0", "|x|", 1), ("1", "|y|", 2)], "nb.csv")
    let b = try table([("1", "1", 20), ("0", "0", 10)], "proxy.csv")
    let joined = try a.aligned(with: b)
    XCTAssertEqual(joined.joinedBy, .key)
    XCTAssertEqual(joined.y, [10, 20])
    XCTAssertEqual(joined.droppedFromFirst, 0)
  }

  func testEmptyOverlapThrows() throws {
    let a = try table([("k1", "x", 1)], "a.json")
    let b = try table([("k2", "y", 1)], "b.json")
    assertThrowsRDNASError(.any, mentions: ["a.json (1 entries)", "b.json", "share no architecture and no key"]) { _ = try a.aligned(with: b) }
  }
}
