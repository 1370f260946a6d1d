import XCTest

final class MonitorTestsPlaceholder: XCTestCase {
  func testBuilds() {}
}
