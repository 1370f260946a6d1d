import Common
import XCTest
import RDNASTestSupport

@testable import Data

final class CIFARBinaryTests: XCTestCase {
  /// Record bytes whose channel planes are recognisable: R = (r + p) % 256, G = 100 + ..., B = 200 + ...
  private func record(label: UInt8, seed: Int) -> [UInt8] {
    var bytes = [label]
    for channel in 0..<3 {
      for p in 0..<1024 { bytes.append(UInt8((channel * 100 + seed + p) % 256)) }
    }
    return bytes
  }

  /// data_batch_1…5 with 2 records each and test_batch with 3; record seeds 10·file + r.
  private func makeFolder(_ folder: TemporaryFolder, meta: String? = nil) throws -> String {
    let root = try folder.folder("cifar-10-batches-bin")
    for b in 1...5 {
      let bytes = (0..<2).flatMap { record(label: UInt8((b + $0) % 10), seed: 10 * b + $0) }
      try Fixtures.write(bytes, to: root + "/data_batch_\(b).bin")
    }
    try Fixtures.write((0..<3).flatMap { record(label: UInt8($0 + 7), seed: $0) }, to: root + "/test_batch.bin")
    if let meta { try Fixtures.write(Array(meta.utf8), to: root + "/batches.meta.txt") }
    return root
  }

  func testTrainReadsAllBatchesAndTransposesCHWToHWC() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolder(folder)
    let d = try DatasetLoader.cifar10Binary(directory: root, train: true)
    XCTAssertEqual([d.count, d.height, d.width, d.channels], [10, 32, 32, 3])
    XCTAssertEqual(d.labels, [1, 2, 2, 3, 3, 4, 4, 5, 5, 6])
    XCTAssertEqual(d.classNames, DatasetLoader.cifar10ClassNames)
    // Image 3 is batch 2, record 1: seed 21. Pixel p = y·32 + x, channel c at 3p + c.
    let image3 = Array(d.pixels[(3 * 3072)..<(4 * 3072)])
    for p in [0, 1, 33, 1023] {
      for c in 0..<3 { XCTAssertEqual(image3[3 * p + c], UInt8((c * 100 + 21 + p) % 256), "p \(p) c \(c)") }
    }
  }

  func testTestSplitAndClassNamesFromMeta() throws {
    let folder = try TemporaryFolder()
    let names = (0..<10).map { "class\($0)" }
    let root = try makeFolder(folder, meta: names.joined(separator: "\n") + "\n\n")
    let d = try DatasetLoader.cifar10Binary(directory: root, train: false)
    XCTAssertEqual(d.count, 3)
    XCTAssertEqual(d.labels, [7, 8, 9])
    XCTAssertEqual(d.classNames, names)
    XCTAssertEqual(d.pixels[0..<6], [0, 100, 200, 1, 101, 201])
  }

  func testNamedLoadAutoDetectsBinaryVersion() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolder(folder)
    let direct = try DatasetLoader.load(dataset: "cifar10", path: root, train: false, cacheDirectory: nil)
    XCTAssertEqual(direct.count, 3)
    // The official archive extracts to cifar-10-batches-bin/ inside the folder the user names.
    let nested = try DatasetLoader.load(dataset: "cifar10", path: folder.path, train: true, cacheDirectory: nil)
    XCTAssertEqual(nested.count, 10)
    XCTAssertEqual(DatasetLoader.detectFormat(directory: root), .cifarBinary)
  }

  func testTruncatedBatchIsRejected() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolder(folder)
    let path = root + "/data_batch_4.bin"
    try Fixtures.write(Array(try FileBytes.read(path).dropLast(5)), to: path)
    assertThrowsRDNASError(.any, mentions: [path, "truncated"]) { try DatasetLoader.cifar10Binary(directory: root, train: true) }
  }

  func testMissingBatchAndFolderAreNamed() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolder(folder)
    try FileManager.default.removeItem(atPath: root + "/data_batch_3.bin")
    assertThrowsRDNASError(.any, mentions: ["data_batch_3.bin", "not found"]) { try DatasetLoader.cifar10Binary(directory: root, train: true) }
    assertThrowsRDNASError(.any, mentions: ["nothing", "not found"]) { try DatasetLoader.cifar10Binary(directory: root + "/nothing", train: true) }
  }

  func testLabelBeyondClassesIsRejected() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolder(folder)
    try Fixtures.write(record(label: 12, seed: 0), to: root + "/test_batch.bin")
    assertThrowsRDNASError(.any, mentions: ["test_batch.bin", "label 12"]) { try DatasetLoader.cifar10Binary(directory: root, train: false) }
  }

  func testFolderThatIsNeitherLayoutIsRejected() throws {
    let folder = try TemporaryFolder()
    assertThrowsRDNASError(.any, mentions: [folder.path, "train/"]) { try DatasetLoader.load(dataset: "cifar10", path: folder.path, train: true, cacheDirectory: nil) }
  }
}
