import Common
import XCTest

@testable import Data

/// Data-parallel ranks each load a part of every global batch: the parts, concatenated in rank order, must
/// be the whole batch, augmentation included (a sample's crop and flip cannot depend on who loads it).
final class BatchLoaderPartTests: XCTestCase {
  func testPartsOfABatchConcatenateToTheWholeBatch() throws {
    let d = try numberedDataset(count: 40)
    func loader(_ part: (Int, Int)) throws -> BatchLoader {
      try BatchLoader(dataset: d, batchSize: 11, shuffle: true, dropLast: true,
                      augmentation: Augmentation(cropPadding: 1, horizontalFlip: true), normalization: .unit, seed: 5,
                      part: part)
    }
    let whole = try loader((0, 1))
    for n in [2, 3] {
      let parts = try (0..<n).map { try loader(($0, n)) }
      for e in 0..<2 {
        for i in 0..<whole.batchesPerEpoch {
          let full = whole.batch(epoch: e, index: i)
          let pieces = parts.map { $0.batch(epoch: e, index: i) }
          XCTAssertEqual(pieces.map(\.count).reduce(0, +), 11)
          XCTAssertEqual(pieces.flatMap(\.sampleIndices), full.sampleIndices)
          XCTAssertEqual(pieces.flatMap(\.y), full.y)
          XCTAssertEqual(pieces.flatMap(\.x), full.x, "epoch \(e) batch \(i) in \(n) parts")
        }
      }
    }
    XCTAssertThrowsError(try BatchLoader(dataset: d, batchSize: 2, shuffle: false, dropLast: true, augmentation: .none,
                                         normalization: .unit, seed: 0, part: (0, 3)))
  }
}
