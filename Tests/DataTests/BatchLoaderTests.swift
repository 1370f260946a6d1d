import Common
import XCTest

@testable import Data

final class BatchLoaderTests: XCTestCase {
  private func loader(
    _ d: ImageDataset, batch: Int = 3, shuffle: Bool = true, dropLast: Bool = false,
    augmentation: Augmentation = .none, seed: UInt64 = 1
  ) throws -> BatchLoader {
    try BatchLoader(
      dataset: d, batchSize: batch, shuffle: shuffle, dropLast: dropLast,
      augmentation: augmentation, normalization: .unit, seed: seed)
  }

  func testEveryIndexExactlyOncePerEpoch() throws {
    let d = try numberedDataset(count: 10)
    let l = try loader(d)
    XCTAssertEqual(l.batchesPerEpoch, 4)
    for e in 0..<3 {
      let batches = Array(l.epoch(e))
      XCTAssertEqual(batches.map(\.count), [3, 3, 3, 1])
      XCTAssertEqual(batches.map(\.index), [0, 1, 2, 3])
      let seen = batches.flatMap(\.sampleIndices)
      XCTAssertEqual(seen.sorted(), Array(0..<10))
      // The pixels and labels really are those images (image i is filled with byte i, label i).
      for b in batches {
        XCTAssertEqual(b.x.count, b.count * 16)
        XCTAssertEqual(b.y, b.sampleIndices.map { Int32($0) })
        for (k, i) in b.sampleIndices.enumerated() {
          XCTAssertEqual(b.x[(k * 16)..<((k + 1) * 16)].map { Int(($0 * 255).rounded()) }, Array(repeating: i, count: 16))
        }
      }
    }
  }

  func testDropLastAndNoShuffle() throws {
    let d = try numberedDataset(count: 10)
    let dropping = try loader(d, dropLast: true)
    XCTAssertEqual(dropping.batchesPerEpoch, 3)
    let seen = Array(dropping.epoch(0)).flatMap(\.sampleIndices)
    XCTAssertEqual(seen.count, 9)
    XCTAssertEqual(Set(seen).count, 9)
    let ordered = try loader(d, batch: 4, shuffle: false)
    XCTAssertEqual(Array(ordered.epoch(5)).flatMap(\.sampleIndices), Array(0..<10))
  }

  func testShuffleDependsOnSeedAndEpochOnly() throws {
    let d = try numberedDataset(count: 50)
    let a = try loader(d, seed: 9), b = try loader(d, seed: 9), other = try loader(d, seed: 10)
    XCTAssertEqual(a.order(epoch: 4), b.order(epoch: 4))
    XCTAssertNotEqual(a.order(epoch: 4), a.order(epoch: 5))
    XCTAssertNotEqual(a.order(epoch: 4), other.order(epoch: 4))
    var stream = RandomSource(seed: 9).derived(4)
    XCTAssertEqual(a.order(epoch: 4), seededPermutation(count: 50, using: &stream))
  }

  func testAugmentedBatchesAreDeterministic() throws {
    let d = try numberedDataset(count: 40, height: 8, width: 8, channels: 3)
    let a = try loader(d, batch: 7, augmentation: .cifar, seed: 3)
    let b = try loader(d, batch: 7, augmentation: .cifar, seed: 3)
    let first = Array(a.epoch(1)), second = Array(b.epoch(1))
    XCTAssertEqual(first.count, 6)
    for (x, y) in zip(first, second) {
      XCTAssertEqual(x.x, y.x)
      XCTAssertEqual(x.y, y.y)
      XCTAssertEqual([x.count, x.height, x.width, x.channels], [x.count, 8, 8, 3])
      XCTAssertEqual(x.x.count, x.count * 8 * 8 * 3)
    }
    let third = Array(a.epoch(1))
    XCTAssertEqual(third.map(\.x), first.map(\.x), "iterating again gives the same batches")
    XCTAssertNotEqual(Array(a.epoch(2)).map(\.x), first.map(\.x))
  }

  func testResumeMidEpochMatchesAStraightRun() throws {
    let d = try numberedDataset(count: 23, height: 6, width: 6, channels: 3)
    let straight = Array(try loader(d, batch: 4, augmentation: .cifar, seed: 77).epoch(3))
    // A fresh loader, as after a restart from a checkpoint taken after batch 2.
    let resumed = Array(try loader(d, batch: 4, augmentation: .cifar, seed: 77).epoch(3, startingAt: 3))
    XCTAssertEqual(resumed.count, straight.count - 3)
    for (r, s) in zip(resumed, straight.dropFirst(3)) {
      XCTAssertEqual(r.index, s.index)
      XCTAssertEqual(r.x, s.x)
      XCTAssertEqual(r.y, s.y)
    }
    XCTAssertTrue(Array(try loader(d).epoch(0, startingAt: 99)).isEmpty)
  }

  func testDirectBatchEqualsIteratedBatch() throws {
    let d = try numberedDataset(count: 20, height: 5, width: 5, channels: 1)
    let l = try loader(d, batch: 6, augmentation: Augmentation(cropPadding: 2, horizontalFlip: true), seed: 5)
    let iterated = Array(l.epoch(7))
    for i in 0..<l.batchesPerEpoch { XCTAssertEqual(l.batch(epoch: 7, index: i).x, iterated[i].x) }
  }

  func testAbandonedIteratorDoesNotBlock() throws {
    let d = try numberedDataset(count: 100)
    let l = try loader(d, batch: 5)
    var iterator = l.epoch(0).makeIterator()
    XCTAssertEqual(iterator.next()?.index, 0)
    iterator = l.epoch(1).makeIterator()
    XCTAssertEqual(iterator.next()?.index, 0)
    var count = 0
    while iterator.next() != nil { count += 1 }
    XCTAssertEqual(count, 19)
    XCTAssertNil(iterator.next())
  }
}
