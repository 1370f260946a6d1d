import Common
import XCTest
import RDNASTestSupport

@testable import Data

final class SplitTests: XCTestCase {
  func testSplitIsDeterministicDisjointSortedAndComplete() {
    let a = trainValidationSplit(count: 1000, validation: 100, seed: 7)
    let b = trainValidationSplit(count: 1000, validation: 100, seed: 7)
    XCTAssertEqual(a.train, b.train)
    XCTAssertEqual(a.validation, b.validation)
    XCTAssertEqual(a.validation.count, 100)
    XCTAssertEqual(a.train.count, 900)
    XCTAssertTrue(Set(a.train).isDisjoint(with: a.validation))
    XCTAssertEqual(Set(a.train).union(a.validation), Set(0..<1000))
    XCTAssertEqual(a.train, a.train.sorted())
    XCTAssertEqual(a.validation, a.validation.sorted())
    XCTAssertNotEqual(a.validation, Array(0..<100), "validation is a random sample, not the first images")
  }

  func testDifferentSeedsGiveDifferentSplits() {
    let a = trainValidationSplit(count: 1000, validation: 100, seed: 1)
    let b = trainValidationSplit(count: 1000, validation: 100, seed: 2)
    XCTAssertNotEqual(a.validation, b.validation)
  }

  func testValidationIsThePermutationPrefix() {
    var rng = RandomSource(seed: 99)
    let order = seededPermutation(count: 50, using: &rng)
    let split = trainValidationSplit(count: 50, validation: 5, seed: 99)
    XCTAssertEqual(split.validation, Array(order.prefix(5)).sorted())
  }

  func testValidationIsClampedToTheRange() {
    XCTAssertEqual(trainValidationSplit(count: 10, validation: 20, seed: 0).validation.count, 10)
    XCTAssertEqual(trainValidationSplit(count: 10, validation: -1, seed: 0).train.count, 10)
    XCTAssertEqual(trainValidationSplit(count: 0, validation: 3, seed: 0).train, [])
  }

  func testUniformIndexCoversTheRangeEvenly() {
    var rng = RandomSource(seed: 5)
    var histogram = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { histogram[uniformIndex(below: 7, using: &rng)] += 1 }
    for count in histogram { XCTAssertEqual(Double(count), 10_000, accuracy: 400) }
  }

  func testSubsetCopiesTheChosenImages() throws {
    let d = try numberedDataset(count: 6, height: 2, width: 2, channels: 1)
    let s = d.subset([4, 1, 4])
    XCTAssertEqual(s.count, 3)
    XCTAssertEqual(s.pixels, [4, 4, 4, 4, 1, 1, 1, 1, 4, 4, 4, 4])
    XCTAssertEqual(s.labels, [4, 1, 4])
    XCTAssertEqual(s.classNames, d.classNames)
  }

  func testChannelMeanStdIsExact() throws {
    // Channel 0 alternates 0 and 255 (mean ½, std ½); channel 1 is constant 51 (mean 0.2, std 0).
    let d = try ImageDataset(
      name: "t", height: 1, width: 2, channels: 2, pixels: [0, 51, 255, 51, 255, 51, 0, 51],
      labels: [0, 0], classNames: ["only"])
    let stats = d.channelMeanStd()
    XCTAssertEqual(stats.mean[0], 0.5, accuracy: 1e-6)
    XCTAssertEqual(stats.std[0], 0.5, accuracy: 1e-6)
    XCTAssertEqual(stats.mean[1], 0.2, accuracy: 1e-6)
    XCTAssertEqual(stats.std[1], 0, accuracy: 1e-6)
    XCTAssertEqual(Normalization.fromData(d).std[1], 1, "a constant channel is not divided by zero")
  }

  func testDatasetInitRejectsInconsistentArrays() {
    assertThrowsRDNASError(.any, mentions: ["t", "pixel bytes"]) { try ImageDataset(name: "t", height: 2, width: 2, channels: 1, pixels: [1, 2, 3], labels: [0], classNames: ["a"]) }
    assertThrowsRDNASError(.any, mentions: ["label 3"]) { try ImageDataset(name: "t", height: 1, width: 1, channels: 1, pixels: [1], labels: [3], classNames: ["a"]) }
  }
}
