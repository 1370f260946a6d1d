import Common
import XCTest
import RDNASTestSupport

@testable import Data

final class IDXTests: XCTestCase {
  /// Three 2×3 images with distinct bytes, labels 2, 0, 1.
  private let pixels: [UInt8] = (0..<18).map { UInt8($0 * 7) }
  private let labels: [UInt8] = [2, 0, 1]

  private func writePair(_ folder: TemporaryFolder, gzip: Bool) throws -> (String, String) {
    let images = try folder.file(gzip ? "img.any-name" : "img.idx")
    let labelFile = try folder.file(gzip ? "lab.any-name" : "lab.idx")
    let imageBytes = Fixtures.idx(dims: [3, 2, 3], payload: pixels)
    let labelBytes = Fixtures.idx(dims: [3], payload: labels)
    if gzip {
      try Fixtures.writeGzip(imageBytes, to: images)
      try Fixtures.writeGzip(labelBytes, to: labelFile)
    } else {
      try Fixtures.write(imageBytes, to: images)
      try Fixtures.write(labelBytes, to: labelFile)
    }
    return (images, labelFile)
  }

  func testPlainIDXReadsPixelsAndLabelsExactly() throws {
    let folder = try TemporaryFolder()
    let (images, labelFile) = try writePair(folder, gzip: false)
    let d = try DatasetLoader.idx(images: images, labels: labelFile, name: "mnist")
    XCTAssertEqual([d.count, d.height, d.width, d.channels], [3, 2, 3, 1])
    XCTAssertEqual(d.pixels, pixels)
    XCTAssertEqual(d.labels, [2, 0, 1])
    XCTAssertEqual(d.classNames, (0..<10).map(String.init))
  }

  func testGzipIsDetectedByMagicNotName() throws {
    let folder = try TemporaryFolder()
    let (images, labelFile) = try writePair(folder, gzip: true)
    let d = try DatasetLoader.idx(images: images, labels: labelFile, name: "fashion-mnist")
    XCTAssertEqual(d.pixels, pixels)
    XCTAssertEqual(d.labels, [2, 0, 1])
    XCTAssertEqual(d.classNames.first, "T-shirt/top")
    XCTAssertEqual(d.classNames.count, 10)
  }

  func testNamedLoadFindsStandardFileNames() throws {
    let folder = try TemporaryFolder()
    try Fixtures.writeGzip(
      Fixtures.idx(dims: [3, 2, 3], payload: pixels), to: try folder.file("t10k-images-idx3-ubyte.gz"))
    try Fixtures.write(Fixtures.idx(dims: [3], payload: labels), to: try folder.file("t10k-labels-idx1-ubyte"))
    let d = try DatasetLoader.load(dataset: "fashion-mnist", path: folder.path, train: false, cacheDirectory: nil)
    XCTAssertEqual(d.pixels, pixels)
    XCTAssertEqual(d.name, "fashion-mnist")
    assertThrowsRDNASError(.any, mentions: ["train-images-idx3-ubyte", "not found"]) { try DatasetLoader.load(dataset: "fashion-mnist", path: folder.path, train: true, cacheDirectory: nil) }
  }

  func testWrongMagicIsRejected() throws {
    let folder = try TemporaryFolder()
    let (_, labelFile) = try writePair(folder, gzip: false)
    let bad = try folder.file("bad.idx")
    try Fixtures.write([0x12, 0x34] + Array(Fixtures.idx(dims: [3, 2, 3], payload: pixels).dropFirst(2)), to: bad)
    assertThrowsRDNASError(.any, mentions: [bad, "magic"]) { try DatasetLoader.idx(images: bad, labels: labelFile, name: "x") }
    try Fixtures.write(Fixtures.idx(dims: [3, 2, 3], payload: pixels, type: 0x0D), to: bad)
    assertThrowsRDNASError(.any, mentions: [bad, "magic"]) { try DatasetLoader.idx(images: bad, labels: labelFile, name: "x") }
  }

  func testTruncatedAndOversizedFilesAreRejected() throws {
    let folder = try TemporaryFolder()
    let (_, labelFile) = try writePair(folder, gzip: false)
    let bad = try folder.file("short.idx")
    try Fixtures.write(Fixtures.idx(dims: [3, 2, 3], payload: Array(pixels.dropLast())), to: bad)
    assertThrowsRDNASError(.any, mentions: [bad, "truncated"]) { try DatasetLoader.idx(images: bad, labels: labelFile, name: "x") }
    try Fixtures.write(Fixtures.idx(dims: [3, 2, 3], payload: pixels + [1]), to: bad)
    assertThrowsRDNASError(.any, mentions: [bad, "trailing"]) { try DatasetLoader.idx(images: bad, labels: labelFile, name: "x") }
    try Fixtures.write([0, 0, 8], to: bad)
    assertThrowsRDNASError(.any, mentions: [bad, "truncated"]) { try DatasetLoader.idx(images: bad, labels: labelFile, name: "x") }
  }

  func testTruncatedGzipStreamIsRejected() throws {
    let folder = try TemporaryFolder()
    let (images, labelFile) = try writePair(folder, gzip: true)
    let whole = try FileBytes.read(images)
    let cut = try folder.file("cut.gz")
    try Fixtures.write(Array(whole.prefix(whole.count - 12)), to: cut)
    assertThrowsRDNASError(.any, mentions: [cut]) { try DatasetLoader.idx(images: cut, labels: labelFile, name: "x") }
  }

  func testImageLabelCountMismatchIsRejected() throws {
    let folder = try TemporaryFolder()
    let (images, _) = try writePair(folder, gzip: false)
    let fewer = try folder.file("fewer.idx")
    try Fixtures.write(Fixtures.idx(dims: [2], payload: [0, 1]), to: fewer)
    assertThrowsRDNASError(.any, mentions: [fewer, "2 labels", "3 images"]) { try DatasetLoader.idx(images: images, labels: fewer, name: "x") }
  }

  func testMissingFileIsNamed() throws {
    let folder = try TemporaryFolder()
    let (images, _) = try writePair(folder, gzip: false)
    let missing = folder.path + "/nope.idx"
    assertThrowsRDNASError(.any, mentions: [missing, "not found"]) { try DatasetLoader.idx(images: images, labels: missing, name: "x") }
    assertThrowsRDNASError(.any, mentions: ["absent", "folder not found"]) { try DatasetLoader.load(dataset: "mnist", path: folder.path + "/absent", train: true, cacheDirectory: nil) }
  }

  func testUnknownDatasetNameIsBadInput() {
    assertThrowsRDNASError(.any, mentions: ["imagenet", "cifar10"]) { try DatasetLoader.load(dataset: "imagenet", path: nil, train: true, cacheDirectory: nil) }
  }
}
