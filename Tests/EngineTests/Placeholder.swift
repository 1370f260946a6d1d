import XCTest

final class EngineTestsPlaceholder: XCTestCase {
  func testBuilds() {}
}
