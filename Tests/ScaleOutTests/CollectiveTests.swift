import XCTest
import Collective

final class CollectiveTests: XCTestCase {
  /// Parts cover 0..<total in order without overlap, sizes differing by at most one.
  func testPartsTileTheRange() {
    for total in [0, 1, 7, 32, 45_000] {
      for n in 1...5 {
        let parts = (0..<n).map { SingleProcess.part($0, of: n, total: total) }
        XCTAssertEqual(parts.first?.lowerBound, 0)
        XCTAssertEqual(parts.last?.upperBound, total)
        for (a, b) in zip(parts, parts.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
        let sizes = parts.map(\.count)
        XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1, "\(total) in \(n)")
      }
    }
  }

  /// Codable values cross the group exactly, non-finite doubles included (scores can be ±inf or NaN).
  func testCodableValuesSurviveBroadcastAndGather() throws {
    let group = SingleProcess()
    let values: [[Double]] = [[0.1, 1 / 3], [.infinity, -.infinity], [1e-310]]
    let back = try group.broadcast(values)
    XCTAssertEqual(back, values)
    let nan = try group.allGather([Double.nan])
    XCTAssertTrue(nan[0][0].isNaN)
    XCTAssertEqual(try group.allGather(["a": 1]), [["a": 1]])
  }
}
