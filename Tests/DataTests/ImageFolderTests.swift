import Common
import XCTest
import RDNASTestSupport

@testable import Data

final class ImageFolderTests: XCTestCase {
  private let side = 8

  /// Classes named so that byte order differs from case-insensitive order ("Zebra" < "ant"), and files named so
  /// that byte order differs from numeric order ("10" < "2"). Returns the images in expected dataset order.
  private func makeTree(_ root: String) throws -> [(pixels: [UInt8], isJPEG: Bool, label: Int32)] {
    let zebra0 = Fixtures.image(height: side, width: side, channels: 3, seed: 1)
    let zebra1 = Fixtures.image(height: side, width: side, channels: 3, seed: 2)
    let ant0 = Fixtures.image(height: side, width: side, channels: 3, seed: 3)
    let ant1 = Fixtures.image(height: side, width: side, channels: 3, seed: 4)
    let ant2 = Fixtures.image(height: side, width: side, channels: 3, seed: 5)
    try Fixtures.writePNG(zebra0, width: side, height: side, channels: 3, to: root + "/Zebra/10.png")
    try Fixtures.writeJPEG(zebra1, width: side, height: side, channels: 3, to: root + "/Zebra/2.JPG")
    try Fixtures.writeJPEG(ant0, width: side, height: side, channels: 3, to: root + "/ant/a.jpeg")
    try Fixtures.writePNG(ant1, width: side, height: side, channels: 3, to: root + "/ant/b.png")
    try Fixtures.writeJPEG(ant2, width: side, height: side, channels: 3, to: root + "/ant/c.jpg")
    try Fixtures.write(Array("not an image".utf8), to: root + "/ant/notes.txt")
    return [(zebra0, false, 0), (zebra1, true, 0), (ant0, true, 1), (ant1, false, 1), (ant2, true, 1)]
  }

  private func makeFolders(_ folder: TemporaryFolder, _ names: [String]) throws -> String {
    for name in names { _ = try folder.folder("root/\(name)") }
    return folder.path + "/root"
  }

  func testClassOrderLabelsAndPixels() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolders(folder, ["Zebra", "ant"])
    let expected = try makeTree(root)
    let d = try DatasetLoader.imageFolder(root: root, name: "toy")
    XCTAssertEqual(d.classNames, ["Zebra", "ant"])
    XCTAssertEqual([d.count, d.height, d.width, d.channels], [5, side, side, 3])
    XCTAssertEqual(d.labels, expected.map(\.label))
    let size = side * side * 3
    for (i, image) in expected.enumerated() {
      let decoded = Array(d.pixels[(i * size)..<((i + 1) * size)])
      if image.isJPEG {
        let worst = zip(decoded, image.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 6, "JPEG image \(i) differs by \(worst)")
      } else {
        XCTAssertEqual(decoded, image.pixels, "PNG image \(i) must decode exactly")
      }
    }
  }

  func testAllGrayDecodesToOneChannelAndMixedToRGB() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolders(folder, ["a", "b"])
    let gray0 = Fixtures.image(height: side, width: side, channels: 1, seed: 1)
    let gray1 = Fixtures.image(height: side, width: side, channels: 1, seed: 2)
    try Fixtures.writePNG(gray0, width: side, height: side, channels: 1, to: root + "/a/0.png")
    try Fixtures.writeJPEG(gray1, width: side, height: side, channels: 1, to: root + "/b/0.jpg")
    let gray = try DatasetLoader.imageFolder(root: root, name: "gray")
    XCTAssertEqual(gray.channels, 1)
    XCTAssertEqual(Array(gray.pixels[0..<(side * side)]), gray0)

    let color = Fixtures.image(height: side, width: side, channels: 3, seed: 3)
    try Fixtures.writePNG(color, width: side, height: side, channels: 3, to: root + "/b/1.png")
    let mixed = try DatasetLoader.imageFolder(root: root, name: "mixed")
    XCTAssertEqual(mixed.channels, 3)
    XCTAssertEqual(Array(mixed.pixels[0..<(side * side * 3)]), gray0.flatMap { [$0, $0, $0] })
    XCTAssertEqual(Array(mixed.pixels[(2 * side * side * 3)...]), color)
  }

  func testMixedSizesNameTheFirstDifferingFile() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolders(folder, ["a"])
    let small = Fixtures.image(height: side, width: side, channels: 3, seed: 0)
    let wide = Fixtures.image(height: side, width: side + 2, channels: 3, seed: 0)
    try Fixtures.writePNG(small, width: side, height: side, channels: 3, to: root + "/a/0.png")
    try Fixtures.writePNG(small, width: side, height: side, channels: 3, to: root + "/a/1.png")
    try Fixtures.writeJPEG(wide, width: side + 2, height: side, channels: 3, to: root + "/a/2.jpg")
    try Fixtures.writePNG(wide, width: side + 2, height: side, channels: 3, to: root + "/a/3.png")
    assertThrowsRDNASError(.any, mentions: [root + "/a/2.jpg", "10×8", "same size"]) { try DatasetLoader.imageFolder(root: root, name: "x") }
  }

  func testCorruptJPEGAndPNGAreNamed() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolders(folder, ["a"])
    let pixels = Fixtures.image(height: side, width: side, channels: 3, seed: 0)
    try Fixtures.writePNG(pixels, width: side, height: side, channels: 3, to: root + "/a/0.png")
    let jpeg = try Fixtures.encodeJPEG(pixels, width: side, height: side, channels: 3)
    try Fixtures.write(Array(jpeg.prefix(jpeg.count / 2)), to: root + "/a/1.jpg")
    assertThrowsRDNASError(.any, mentions: [root + "/a/1.jpg", "JPEG"]) { try DatasetLoader.imageFolder(root: root, name: "x") }

    try Fixtures.write(jpeg, to: root + "/a/1.jpg")
    let png = try FileBytes.read(root + "/a/0.png")
    try Fixtures.write(Array(png.prefix(png.count - 20)), to: root + "/a/2.png")
    assertThrowsRDNASError(.any, mentions: [root + "/a/2.png", "PNG"]) { try DatasetLoader.imageFolder(root: root, name: "x") }

    try Fixtures.write(Array("plain text".utf8), to: root + "/a/2.png")
    assertThrowsRDNASError(.any, mentions: [root + "/a/2.png", "not a JPEG or PNG"]) { try DatasetLoader.imageFolder(root: root, name: "x") }
  }

  func testCorruptFirstFileIsNamed() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolders(folder, ["a"])
    try Fixtures.write([0xFF, 0xD8, 0xFF, 0x00, 0x01], to: root + "/a/0.jpg")
    assertThrowsRDNASError(.any, mentions: [root + "/a/0.jpg", "JPEG"]) { try DatasetLoader.imageFolder(root: root, name: "x") }
  }

  func testEmptyClassFolderAndNoClassesAndMissingRoot() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolders(folder, ["a", "b"])
    let pixels = Fixtures.image(height: side, width: side, channels: 3, seed: 0)
    try Fixtures.writePNG(pixels, width: side, height: side, channels: 3, to: root + "/a/0.png")
    try Fixtures.write(Array("x".utf8), to: root + "/b/readme.txt")
    assertThrowsRDNASError(.any, mentions: [root + "/b", "empty class"]) { try DatasetLoader.imageFolder(root: root, name: "x") }

    let bare = try folder.folder("bare")
    try Fixtures.writePNG(pixels, width: side, height: side, channels: 3, to: bare + "/loose.png")
    assertThrowsRDNASError(.any, mentions: [bare, "no class folders"]) { try DatasetLoader.imageFolder(root: bare, name: "x") }
    assertThrowsRDNASError(.any, mentions: ["missing", "not found"]) { try DatasetLoader.imageFolder(root: folder.path + "/missing", name: "x") }
  }

  func testTrainTestTreeSharesTrainClassIndices() throws {
    let folder = try TemporaryFolder()
    let pixels = Fixtures.image(height: side, width: side, channels: 3, seed: 0)
    for path in ["train/cat/0.png", "train/dog/0.png", "train/emu/0.png", "test/emu/0.png", "test/cat/0.png"] {
      try Fixtures.writePNG(pixels, width: side, height: side, channels: 3, to: try folder.file(path))
    }
    let test = try DatasetLoader.load(dataset: "folder", path: folder.path, train: false, cacheDirectory: nil)
    XCTAssertEqual(test.classNames, ["cat", "dog", "emu"])
    XCTAssertEqual(test.labels, [0, 2], "emu keeps the train split's label 2 although dog is missing from test")
    let cifarStyle = try DatasetLoader.load(dataset: "cifar10", path: folder.path, train: true, cacheDirectory: nil)
    XCTAssertEqual(cifarStyle.count, 3)
    XCTAssertEqual(cifarStyle.name, "cifar10")

    try Fixtures.writePNG(pixels, width: side, height: side, channels: 3, to: try folder.file("test/yak/0.png"))
    assertThrowsRDNASError(.any, mentions: ["yak", "train split"]) { try DatasetLoader.load(dataset: "folder", path: folder.path, train: false, cacheDirectory: nil) }
    assertThrowsRDNASError(.any, mentions: ["path"]) { try DatasetLoader.load(dataset: "folder", path: nil, train: true, cacheDirectory: nil) }
  }

  func testManyFilesDecodeDeterministicallyInParallel() throws {
    let folder = try TemporaryFolder()
    let root = try makeFolders(folder, ["a", "b"])
    for i in 0..<120 {
      let pixels = Fixtures.image(height: side, width: side, channels: 3, seed: i)
      let stem = root + "/\(i % 3 == 0 ? "a" : "b")/" + String(format: "%03d", i)
      if i % 2 == 0 {
        try Fixtures.writeJPEG(pixels, width: side, height: side, channels: 3, to: stem + ".jpg")
      } else {
        try Fixtures.writePNG(pixels, width: side, height: side, channels: 3, to: stem + ".png")
      }
    }
    let first = try DatasetLoader.imageFolder(root: root, name: "x")
    let second = try DatasetLoader.imageFolder(root: root, name: "x")
    XCTAssertEqual(first.count, 120)
    XCTAssertEqual(first.pixels, second.pixels)
    XCTAssertEqual(first.labels, second.labels)
    XCTAssertEqual(first.labels.filter { $0 == 0 }.count, 40)
  }
}
