import XCTest
@testable import Common

final class RandomSourceTests: XCTestCase {
  func testSameSeedSameSequence() {
    var a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
    let sa = (0..<100).map { _ in a.next() }
    XCTAssertEqual(sa, (0..<100).map { _ in b.next() })
    XCTAssertNotEqual(sa, (0..<100).map { _ in c.next() })
  }

  func testStateRoundTripResumesSequence() {
    var a = RandomSource(seed: 7)
    for _ in 0..<10 { _ = a.next() }
    var b = RandomSource(state: a.state)
    XCTAssertEqual((0..<20).map { _ in a.next() }, (0..<20).map { _ in b.next() })
  }

  func testUniformAndGaussianMoments() {
    var r = RandomSource(seed: 1)
    let n = 200_000
    var su = 0.0, sg = 0.0, sg2 = 0.0
    for _ in 0..<n {
      let u = r.nextFloat(); XCTAssert(u >= 0 && u < 1)
      su += Double(u)
      let g = Double(r.nextGaussian()); sg += g; sg2 += g * g
    }
    XCTAssertEqual(su / Double(n), 0.5, accuracy: 0.005)
    XCTAssertEqual(sg / Double(n), 0, accuracy: 0.01)
    XCTAssertEqual(sg2 / Double(n), 1, accuracy: 0.02)
  }
}

final class ProcessMemoryTests: XCTestCase {
  func testResidentMemoryIsReportedAndTracksAnAllocation() {
    guard let before = ProcessMemory.residentBytes, let peak = ProcessMemory.peakResidentBytes else {
      return XCTFail("no /proc/self/status")
    }
    XCTAssertGreaterThan(before, 1 << 20)
    XCTAssertGreaterThanOrEqual(peak, before)
    let n = 64 << 20
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
    p.initialize(repeating: 1, count: n)  // touch every page
    let after = ProcessMemory.residentBytes!
    p.deallocate()
    XCTAssertGreaterThan(after - before, 48 << 20)
  }
}
