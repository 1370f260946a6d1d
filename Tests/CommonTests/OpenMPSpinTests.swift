import XCTest
@testable import Common

final class OpenMPSpinTests: XCTestCase {
  func testParsesTheAggregateLineOfProcStat() throws {
    let t = try XCTUnwrap(OpenMPSpin.CPUTimes(procStatLine: "cpu  100 5 20 800 50 1 2 22 7 0"))
    // user..steal summed (guest and guest_nice are already inside user); idle includes iowait.
    XCTAssertEqual(t.total, 100 + 5 + 20 + 800 + 50 + 1 + 2 + 22)
    XCTAssertEqual(t.idle, 850)
    XCTAssertNil(OpenMPSpin.CPUTimes(procStatLine: "cpu0 1 2 3 4 5"), "a per-CPU line is not the aggregate")
    XCTAssertNil(OpenMPSpin.CPUTimes(procStatLine: "intr 1 2 3"))
    XCTAssertNil(OpenMPSpin.CPUTimes(procStatLine: "cpu 1 2"))
  }

  func testBusyCoresIsTheNonIdleShareOfTheWindow() {
    let a = OpenMPSpin.CPUTimes(total: 1000, idle: 500)
    // 20 ticks elapsed, 10 idle: half of the time busy on a 2-core machine = one busy core.
    XCTAssertEqual(OpenMPSpin.busyCores(from: a, to: .init(total: 1020, idle: 510), cores: 2), 1.0, accuracy: 1e-12)
    XCTAssertEqual(OpenMPSpin.busyCores(from: a, to: .init(total: 1020, idle: 520), cores: 2), 0.0, accuracy: 1e-12)
    XCTAssertEqual(OpenMPSpin.busyCores(from: a, to: a, cores: 2), 0, "no time elapsed: no evidence of load")
  }

  func testShortSpinOnlyWhereMPIRanksShareANode() {
    func isShort(_ d: OpenMPSpin.Decision) -> Bool { if case .shortSpin = d { return true } else { return false } }
    XCTAssertFalse(isShort(OpenMPSpin.decide(cores: 2, threads: nil, localRanks: 1)))
    XCTAssertFalse(isShort(OpenMPSpin.decide(cores: 2, threads: 2, localRanks: 1)))
    XCTAssertTrue(isShort(OpenMPSpin.decide(cores: 2, threads: nil, localRanks: 2)))
    XCTAssertTrue(isShort(OpenMPSpin.decide(cores: 4, threads: 2, localRanks: 2)))
    XCTAssertFalse(isShort(OpenMPSpin.decide(cores: 2, threads: 1, localRanks: 2)), "one thread: no team")
    XCTAssertEqual(OpenMPSpin.decide(cores: 2, threads: 1, localRanks: 1).reason, "one thread, no team to wait on")
  }

  func testUnderLoadTheDefaultThreadsAreTheFreeCores() {
    XCTAssertNil(OpenMPSpin.freeCores(busyCores: 0.1, cores: 2), "idle: all cores")
    XCTAssertNil(OpenMPSpin.freeCores(busyCores: 0.25, cores: 2), "background noise")
    XCTAssertEqual(OpenMPSpin.freeCores(busyCores: 0.6, cores: 2), 1)
    XCTAssertEqual(OpenMPSpin.freeCores(busyCores: 1.0, cores: 2), 1)
    XCTAssertEqual(OpenMPSpin.freeCores(busyCores: 2.0, cores: 2), 1, "never fewer than one")
    XCTAssertEqual(OpenMPSpin.freeCores(busyCores: 1.2, cores: 8), 7)
    XCTAssertNil(OpenMPSpin.freeCores(busyCores: 0.4, cores: 8), "rounds to no busy core")
  }

  func testFindsTheThreadsOptionInBothSpellings() {
    XCTAssertEqual(OpenMPSpin.requestedThreads(in: ["rdnas", "bench", "--threads", "2"]), 2)
    XCTAssertEqual(OpenMPSpin.requestedThreads(in: ["rdnas", "train", "--threads=1", "--name", "x"]), 1)
    XCTAssertNil(OpenMPSpin.requestedThreads(in: ["rdnas", "train", "--name", "x"]))
    XCTAssertNil(OpenMPSpin.requestedThreads(in: ["rdnas", "train", "--threads"]))
  }

  func testReadsThisMachinesCounters() throws {
    guard FileManager.default.fileExists(atPath: "/proc/stat") else { throw XCTSkip("no /proc/stat") }
    let busy = try XCTUnwrap(OpenMPSpin.measureBusyCores(window: 0.05, cores: ProcessInfo.processInfo.activeProcessorCount))
    XCTAssertGreaterThanOrEqual(busy, 0)
    XCTAssertLessThanOrEqual(busy, Double(ProcessInfo.processInfo.activeProcessorCount))
  }
}
