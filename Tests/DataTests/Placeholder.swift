import XCTest

final class DataTestsPlaceholder: XCTestCase {
  func testBuilds() {}
}
