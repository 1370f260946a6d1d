import XCTest
import Foundation
import Common

/// Every error reaches the user as one line with the documented exit code; a JSON file of the wrong shape
/// names the key at fault instead of dumping Swift's DecodingError.
final class ErrorReportTests: XCTestCase {
  struct Config: Codable {
    var name: String
    var rank: Rank
    var strategy: Strategy
    struct Rank: Codable { var pairs: Int; var cycle: [String] }
    enum Strategy: String, Codable { case spos, sandwich }
  }

  func message(_ json: String) -> String {
    do {
      _ = try JSONDecoder().decode(Config.self, from: Data(json.utf8))
      XCTFail("\(json) decoded")
      return ""
    } catch {
      let (message, code) = ErrorReport.describe(error)
      XCTAssertEqual(code, 2, message)
      XCTAssertFalse(message.contains("\n"), message)
      return message
    }
  }

  func testDecodingErrorsNameTheKey() {
    let good = #"{"name":"r","rank":{"pairs":2,"cycle":["flops"]},"strategy":"spos"}"#
    XCTAssertNoThrow(try JSONDecoder().decode(Config.self, from: Data(good.utf8)))
    XCTAssertEqual(message(#"{"rank":{"pairs":2,"cycle":[]},"strategy":"spos"}"#), "missing key 'name'")
    XCTAssertEqual(message(#"{"name":"r","rank":{"cycle":[]},"strategy":"spos"}"#), "missing key 'rank.pairs'")
    XCTAssertTrue(message(#"{"name":"r","rank":{"pairs":"two","cycle":[]},"strategy":"spos"}"#)
      .hasPrefix("key 'rank.pairs': expected an integer"))
    XCTAssertTrue(message(#"{"name":"r","rank":{"pairs":2,"cycle":[3]},"strategy":"spos"}"#)
      .hasPrefix("key 'rank.cycle[0]': expected a string"))
    let badEnum = message(#"{"name":"r","rank":{"pairs":2,"cycle":[]},"strategy":"greedy"}"#)
    XCTAssertTrue(badEnum.hasPrefix("key 'strategy': ") && badEnum.contains("greedy"), badEnum)
    XCTAssertEqual(message(#"{"name":null,"rank":{"pairs":2,"cycle":[]},"strategy":"spos"}"#),
                   "key 'name': null where a string is needed")
    let truncated = message(#"{"name":"r","#)
    XCTAssertTrue(truncated.hasPrefix("not valid JSON"), truncated)
  }

  func testEveryKindOfErrorGetsItsExitCode() {
    struct Strange: Error {}
    let cases: [(Error, Int32)] = [
      (RDNASError.badInput("x"), 2), (RDNASError.badFile(path: "f", reason: "r"), 2),
      (RDNASError.failure("x"), 1), (RDNASError.nonFinite(op: "loss", detail: "nan"), 1),
      (CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: "/no/such"]), 2),
      (CocoaError(.fileWriteOutOfSpace), 1),
      (Strange(), 1),
    ]
    for (error, code) in cases {
      let (message, got) = ErrorReport.describe(error)
      XCTAssertEqual(got, code, "\(error)")
      XCTAssertFalse(message.isEmpty || message.contains("\n"), message)
    }
    XCTAssertTrue(ErrorReport.describe(CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: "/no/such"]))
      .message.hasPrefix("/no/such: "))
  }
}
