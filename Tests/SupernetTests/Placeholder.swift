import XCTest

final class SupernetTestsPlaceholder: XCTestCase {
  func testBuilds() {}
}
