import XCTest

final class SearchTestsPlaceholder: XCTestCase {
  func testBuilds() {}
}
