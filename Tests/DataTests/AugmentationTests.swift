import Common
import XCTest
import RDNASTestSupport

@testable import Data

final class AugmentationTests: XCTestCase {
  /// 3×3 gray image 1…9, row-major.
  private let image: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9]

  private func apply(_ draw: AugmentationDraw, padding: Int) -> [Float] {
    let table = Normalization.unit.lookupTable(channels: 1)
    var out = [Float](repeating: -1, count: 9)
    image.withUnsafeBufferPointer { src in
      table.withUnsafeBufferPointer { t in
        out.withUnsafeMutableBufferPointer { dst in
          writeAugmented(
            src.baseAddress!, height: 3, width: 3, channels: 1, draw: draw, padding: padding,
            table: t.baseAddress!, into: dst.baseAddress!)
        }
      }
    }
    return out.map { ($0 * 255).rounded() }
  }

  func testIdentityDrawCopiesTheImage() {
    XCTAssertEqual(apply(.identity(padding: 2), padding: 2), image.map(Float.init))
  }

  func testCropWindowShiftsInZeroPadding() {
    // Window starts at padded row 0 (one row of padding) and padded column 2 (one column right).
    XCTAssertEqual(apply(AugmentationDraw(offsetY: 0, offsetX: 2, flip: false), padding: 1), [
      0, 0, 0,
      2, 3, 0,
      5, 6, 0,
    ])
  }

  func testFlipMirrorsTheCroppedWindow() {
    XCTAssertEqual(apply(AugmentationDraw(offsetY: 0, offsetX: 2, flip: true), padding: 1), [
      0, 0, 0,
      0, 3, 2,
      0, 6, 5,
    ])
    XCTAssertEqual(apply(AugmentationDraw(offsetY: 0, offsetX: 0, flip: true), padding: 0), [
      3, 2, 1,
      6, 5, 4,
      9, 8, 7,
    ])
  }

  func testDrawsStayInRangeAndBothFlipsOccur() {
    var rng = RandomSource(seed: 3)
    var flips = 0
    var offsets = Set<Int>()
    for _ in 0..<1000 {
      let d = Augmentation.cifar.draw(using: &rng)
      XCTAssertTrue((0...8).contains(d.offsetY) && (0...8).contains(d.offsetX))
      offsets.insert(d.offsetX)
      if d.flip { flips += 1 }
    }
    XCTAssertEqual(offsets, Set(0...8))
    XCTAssertEqual(Double(flips), 500, accuracy: 80)
    var none = RandomSource(seed: 3)
    XCTAssertEqual(Augmentation.none.draw(using: &none), .identity(padding: 0))
    XCTAssertEqual(none, RandomSource(seed: 3), "no augmentation draws nothing")
  }

  func testBatchFlipFollowsTheBatchStream() throws {
    // Padding 0 and flip on: image k of batch i is mirrored iff the k-th draw of
    // RandomSource(seed).derived(epoch).derived(i + 1) has its top bit set.
    let pixels: [UInt8] = (0..<(6 * 9)).map { UInt8($0) }  // six 3×3 images, all bytes distinct
    let d = try ImageDataset(
      name: "t", height: 3, width: 3, channels: 1, pixels: pixels, labels: [Int32](repeating: 0, count: 6),
      classNames: ["a"])
    let loader = try BatchLoader(
      dataset: d, batchSize: 3, shuffle: false, dropLast: false,
      augmentation: Augmentation(cropPadding: 0, horizontalFlip: true), normalization: .unit, seed: 11)
    let batch = loader.batch(epoch: 2, index: 1)
    var stream = RandomSource(seed: 11).derived(2).derived(2)
    var sawFlip = false, sawPlain = false
    for k in 0..<3 {
      let flip = stream.next() >> 63 == 1
      let source = Array(pixels[((3 + k) * 9)..<((4 + k) * 9)])
      let expected = flip ? (0..<3).flatMap { r in source[(r * 3)..<(r * 3 + 3)].reversed() } : source
      let got = batch.x[(k * 9)..<((k + 1) * 9)].map { UInt8(($0 * 255).rounded()) }
      XCTAssertEqual(got, expected, "image \(k) flip \(flip)")
      if flip { sawFlip = true } else { sawPlain = true }
    }
    XCTAssertTrue(sawFlip && sawPlain, "seed 11 gives both outcomes in this batch; pick another seed if not")
  }

  func testNormalizationValues() throws {
    let n = Normalization(mean: [0.5], std: [0.25])
    let table = n.lookupTable(channels: 2)
    XCTAssertEqual(table[255], 2, accuracy: 1e-6)
    XCTAssertEqual(table[0], -2, accuracy: 1e-6)
    XCTAssertEqual(table[256 + 51], -1.2, accuracy: 1e-6, "one value broadcasts to every channel")
    let cifar = Normalization.cifar10.lookupTable(channels: 3)
    XCTAssertEqual(cifar[2 * 256 + 255], (1 - 0.4465) / 0.2616, accuracy: 1e-5)
    XCTAssertEqual(Normalization.fashionMNIST.mean, [0.2860])
    XCTAssertEqual(Normalization.fashionMNIST.std, [0.3530])
    XCTAssertEqual(Normalization.named("cifar10"), .cifar10)
  }

  func testPaddingNormalisesLikeZeroPixels() throws {
    let d = try ImageDataset(
      name: "t", height: 1, width: 1, channels: 3, pixels: [255, 255, 255], labels: [0], classNames: ["a"])
    let loader = try BatchLoader(
      dataset: d, batchSize: 1, shuffle: false, dropLast: false,
      augmentation: Augmentation(cropPadding: 1, horizontalFlip: false), normalization: .cifar10, seed: 0)
    // A 1×1 image padded by 1 is cropped to padding 8 times in 9; across epochs both values appear.
    var values = Set<Float>()
    for e in 0..<60 { values.insert(loader.batch(epoch: e, index: 0).x[0]) }
    XCTAssertTrue(values.contains(-0.4914 / 0.2470))
    XCTAssertTrue(values.contains((1 - 0.4914) / 0.2470))
  }

  func testBadNormalizationOrBatchSizeIsRejected() throws {
    let d = try numberedDataset(count: 4, channels: 3)
    assertThrowsRDNASError(.any, mentions: ["2 values", "3 channels"]) { try BatchLoader(
        dataset: d, batchSize: 2, shuffle: true, dropLast: false, augmentation: .none,
        normalization: Normalization(mean: [0, 0], std: [1, 1]), seed: 0) }
    assertThrowsRDNASError(.any, mentions: ["std"]) { try BatchLoader(
        dataset: d, batchSize: 2, shuffle: true, dropLast: false, augmentation: .none,
        normalization: Normalization(mean: [0], std: [0]), seed: 0) }
    assertThrowsRDNASError(.any, mentions: ["batch size"]) { try BatchLoader(
        dataset: d, batchSize: 0, shuffle: true, dropLast: false, augmentation: .none, normalization: .unit, seed: 0) }
  }
}
