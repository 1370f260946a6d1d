import Common
import XCTest
import RDNASTestSupport

@testable import Search

final class NB201BenchmarkIndexTests: XCTestCase {
  let space = NB201Space()

  /// Every CSV arch string round-trips and maps to its row index both ways.
  func testAllBenchmarkRowsRoundTrip() throws {
    let path = try requireSharedFile("nasbench201/nb201_test_acc_200ep.csv")
    let index = try NB201BenchmarkIndex(csvPath: path)
    XCTAssertEqual(index.count, 15_625)
    XCTAssertTrue(index.isComplete)
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
    XCTAssertEqual(lines.count, 15_625)
    for (i, line) in lines.enumerated() {
      let arch = String(line.split(separator: ",")[3])
      let e = try XCTUnwrap(index.encoding(at: i))
      XCTAssertEqual(space.format(e), arch, "row \(i)")
      XCTAssertEqual(index.index(of: e), i)
      XCTAssertEqual(index.index(of: try space.parse(arch)), i)
    }
    XCTAssertEqual(Set(index.encodings), Set(space.enumerateAll()))
    XCTAssertNil(index.encoding(at: 15_625))
    XCTAssertNil(index.encoding(at: -1))
    XCTAssertNil(index.index(of: Encoding(digits: [9])))
  }

  private let header = "Acc,ArchitectureString,UniqueString"
  private func row(_ digits: String) throws -> String { "90.1,\(space.format(try space.parse(digits))),x" }

  func testSmallFileWithQuotesAndCRLF() throws {
    let text = "\(header)\r\n\(try row("000000"))\r\n90.2,\"\(space.format(try space.parse("334131")))\",y\r\n"
    let index = try NB201BenchmarkIndex(csvText: text, path: "mem.csv")
    XCTAssertEqual(index.count, 2)
    XCTAssertFalse(index.isComplete)
    XCTAssertEqual(index.index(of: try space.parse("334131")), 1)
  }

  func testMissingFile() throws {
    let dir = try makeTempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("absent.csv").path
    assertThrowsRDNASError(.badFile, mentions: ["file not found"]) { _ = try NB201BenchmarkIndex(csvPath: path) }
  }

  func testErrorsFromAFileOnDisk() throws {
    let dir = try makeTempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    func load(_ text: String) throws {
      let url = dir.appendingPathComponent("nb.csv")
      try Data(text.utf8).write(to: url)
      _ = try NB201BenchmarkIndex(csvPath: url.path)
    }
    assertThrowsRDNASError(.badFile, mentions: ["empty file"]) { try load("") }
    assertThrowsRDNASError(.badFile, mentions: ["no 'ArchitectureString' column"]) { try load("Acc,Arch\n1,2\n") }
    assertThrowsRDNASError(.badFile, mentions: ["line 3", "edge 2←1", "unknown op 'conv'"]) {
      try load("\(self.header)\n\(try self.row("000000"))\n1,|none~0|+|none~0|conv~1|+|none~0|none~1|none~2|,z\n")
    }
    assertThrowsRDNASError(.badFile, mentions: ["line 2", "1 field(s)"]) { try load("\(self.header)\n1\n") }
    assertThrowsRDNASError(.badFile, mentions: ["line 4", "repeats line 2 (index 0)"]) {
      try load("\(self.header)\n\(try self.row("000000"))\n\(try self.row("111111"))\n\(try self.row("000000"))\n")
    }
  }
}
