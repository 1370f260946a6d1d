import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import Ranking

/// Collects what the SVG tests check: element counts and the text content.
final class SVGInspector: NSObject, XMLParserDelegate {
  var elements = [String: Int]()
  var text = ""
  var circleFills = [String]()

  func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
              attributes: [String: String] = [:]) {
    elements[name, default: 0] += 1
    if name == "circle", let fill = attributes["fill"] { circleFills.append(fill) }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}

final class SVGTests: XCTestCase {
  func inspect(_ svg: String) throws -> SVGInspector {
    let parser = XMLParser(data: Data(svg.utf8))
    let inspector = SVGInspector()
    parser.delegate = inspector
    XCTAssertTrue(parser.parse(), "SVG is not well-formed XML: \(String(describing: parser.parserError))")
    return inspector
  }

  func testWellFormedWithOneCirclePerPoint() throws {
    let (x, y) = randomPairs(n: 600, seed: 21, tieLevels: 10)
    let scatter = try RankScatter(x: x, y: y)
    let svg = scatter.svg(title: "ZenScore <prior> & supernet", width: 500, height: 400)
    let inspector = try inspect(svg)
    XCTAssertEqual(inspector.elements["svg"], 1)
    XCTAssertEqual(inspector.elements["circle"], 600)
    XCTAssertTrue(inspector.text.contains("ZenScore <prior> & supernet"), "title is escaped and survives parsing")
    XCTAssertTrue(inspector.text.contains(String(format: "τ = %.3f", scatter.tau)))
    XCTAssertTrue(inspector.text.contains(String(format: "ρ = %.3f", scatter.rho)))
    XCTAssertTrue(inspector.circleFills.contains(DisagreementColor.rgb(1).hex), "the worst point is red")
    XCTAssertGreaterThan(inspector.elements["text"] ?? 0, 6, "tick labels")
    let subsampled = try inspect(scatter.subsampled(fraction: 0.3, seed: 1).svg(title: "t"))
    XCTAssertEqual(subsampled.elements["circle"], scatter.subsampled(fraction: 0.3, seed: 1).points.count)
  }

  func testDegenerateScattersStillRender() throws {
    XCTAssertEqual(try inspect(try RankScatter(x: [], y: []).svg(title: "empty")).elements["circle"] ?? 0, 0)
    let one = try inspect(try RankScatter(x: [1], y: [2]).svg(title: "one", width: 10, height: 10))
    XCTAssertEqual(one.elements["circle"], 1)
    XCTAssertTrue(one.text.contains("τ = nan"))
  }

  func testTicksAreRoundNumbersWithinRange() {
    XCTAssertEqual(RankScatter.ticks(n: 15_625), [1, 5000, 10_000, 15_000])
    XCTAssertEqual(RankScatter.ticks(n: 100), [1, 20, 40, 60, 80, 100])
    XCTAssertEqual(RankScatter.ticks(n: 4), [1, 2, 3, 4])
    XCTAssertEqual(RankScatter.ticks(n: 1), [1])
  }
}
