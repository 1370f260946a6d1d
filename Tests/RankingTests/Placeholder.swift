import XCTest

final class RankingTestsPlaceholder: XCTestCase {
  func testBuilds() {}
}
