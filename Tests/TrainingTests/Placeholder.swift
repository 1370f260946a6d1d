import XCTest

final class TrainingTestsPlaceholder: XCTestCase {
  func testBuilds() {}
}
