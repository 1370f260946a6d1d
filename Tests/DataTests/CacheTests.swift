import Common
import XCTest

@testable import Data

final class CacheTests: XCTestCase {
  /// Uncompressed IDX files named as Fashion-MNIST, so a byte can be changed without changing the file size.
  private func makeIDXFolder(_ folder: TemporaryFolder) throws -> (dir: String, images: String) {
    let dir = try folder.folder("fmnist")
    let pixels: [UInt8] = (0..<(4 * 3 * 3)).map { UInt8($0) }
    try Fixtures.write(Fixtures.idx(dims: [4, 3, 3], payload: pixels), to: dir + "/train-images-idx3-ubyte")
    try Fixtures.write(Fixtures.idx(dims: [4], payload: [0, 1, 2, 3]), to: dir + "/train-labels-idx1-ubyte")
    return (dir, dir + "/train-images-idx3-ubyte")
  }

  private func cacheFiles(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".rdcache") }
  }

  private func setModificationTime(_ path: String, _ date: Date) throws {
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
  }

  func testRoundTripPreservesEverything() throws {
    let folder = try TemporaryFolder()
    let original = try ImageDataset(
      name: "toy", height: 2, width: 3, channels: 3, pixels: (0..<36).map { UInt8($0 * 5) },
      labels: [1, 0], classNames: ["zero", "one ✓"])
    let path = folder.path + "/sub/toy.rdcache"
    XCTAssertTrue(DatasetCache.store(original, path: path, key: "k", fingerprint: 42))
    let back = try XCTUnwrap(DatasetCache.load(path: path, key: "k", fingerprint: 42))
    XCTAssertEqual(back.name, "toy")
    XCTAssertEqual([back.count, back.height, back.width, back.channels], [2, 2, 3, 3])
    XCTAssertEqual(back.pixels, original.pixels)
    XCTAssertEqual(back.labels, original.labels)
    XCTAssertEqual(back.classNames, original.classNames)
    XCTAssertNil(DatasetCache.load(path: path, key: "k", fingerprint: 43), "stale fingerprint must not be trusted")
    XCTAssertNil(DatasetCache.load(path: path, key: "other", fingerprint: 42), "other source must not be trusted")
    XCTAssertTrue(
      try FileManager.default.contentsOfDirectory(atPath: folder.path + "/sub").allSatisfy { !$0.contains(".tmp") },
      "no temporary file left behind")
  }

  func testDamagedCacheFilesAreRejected() throws {
    let folder = try TemporaryFolder()
    let original = try numberedDataset(count: 5)
    let path = folder.path + "/n.rdcache"
    DatasetCache.store(original, path: path, key: "k", fingerprint: 1)
    let good = try FileBytes.read(path)
    var flipped = good
    flipped[good.count - 30] ^= 0x40  // a pixel byte: only the checksum can notice
    for damaged in [flipped, Array(good.dropLast(3)), good + [0], Array(good.prefix(10)), []] {
      try Fixtures.write(damaged, to: path)
      XCTAssertNil(DatasetCache.load(path: path, key: "k", fingerprint: 1))
    }
  }

  func testSecondLoadComesFromCacheWhileSourceIsUnchanged() throws {
    let folder = try TemporaryFolder()
    let (dir, images) = try makeIDXFolder(folder)
    let cache = folder.path + "/cache"
    let first = try DatasetLoader.load(dataset: "fashion-mnist", path: dir, train: true, cacheDirectory: cache)
    XCTAssertEqual(cacheFiles(cache).count, 1)
    // Change a pixel but keep size and mtime: the fingerprint cannot see it, so the cached pixels must come back,
    // which proves the second load did not decode the source.
    var info = stat()
    XCTAssertEqual(stat(images, &info), 0)
    var bytes = try FileBytes.read(images)
    bytes[bytes.count - 1] = 255
    try Fixtures.write(bytes, to: images)
    let times = [info.st_atim, info.st_mtim]  // restore the exact (nanosecond) mtime
    XCTAssertEqual(utimensat(AT_FDCWD, images, times, 0), 0)
    let second = try DatasetLoader.load(dataset: "fashion-mnist", path: dir, train: true, cacheDirectory: cache)
    XCTAssertEqual(second.pixels, first.pixels)
    XCTAssertEqual(second.classNames, first.classNames)
  }

  func testStaleCacheIsRebuilt() throws {
    let folder = try TemporaryFolder()
    let (dir, images) = try makeIDXFolder(folder)
    let cache = folder.path + "/cache"
    _ = try DatasetLoader.load(dataset: "fashion-mnist", path: dir, train: true, cacheDirectory: cache)
    var bytes = try FileBytes.read(images)
    bytes[bytes.count - 1] = 255
    try Fixtures.write(bytes, to: images)
    try setModificationTime(images, Date().addingTimeInterval(60))
    let rebuilt = try DatasetLoader.load(dataset: "fashion-mnist", path: dir, train: true, cacheDirectory: cache)
    XCTAssertEqual(rebuilt.pixels.last, 255)
    XCTAssertEqual(cacheFiles(cache).count, 1, "the rebuilt cache replaces the stale one")
    let cached = try DatasetLoader.load(dataset: "fashion-mnist", path: dir, train: true, cacheDirectory: cache)
    XCTAssertEqual(cached.pixels, rebuilt.pixels)
  }

  func testCorruptCacheIsSilentlyRebuilt() throws {
    let folder = try TemporaryFolder()
    let (dir, _) = try makeIDXFolder(folder)
    let cache = folder.path + "/cache"
    let first = try DatasetLoader.load(dataset: "fashion-mnist", path: dir, train: true, cacheDirectory: cache)
    let cacheFile = cache + "/" + (try XCTUnwrap(cacheFiles(cache).first))
    try Fixtures.write(Array("garbage".utf8), to: cacheFile)
    let again = try DatasetLoader.load(dataset: "fashion-mnist", path: dir, train: true, cacheDirectory: cache)
    XCTAssertEqual(again.pixels, first.pixels)
    XCTAssertGreaterThan(try FileBytes.read(cacheFile).count, 100, "the cache file was rewritten")
  }

  func testImageFolderCacheNoticesAChangedImage() throws {
    let folder = try TemporaryFolder()
    let side = 4
    for (i, path) in ["train/a/0.png", "train/b/0.png", "test/a/0.png"].enumerated() {
      let pixels = Fixtures.image(height: side, width: side, channels: 3, seed: i)
      try Fixtures.writePNG(pixels, width: side, height: side, channels: 3, to: try folder.file("tree/\(path)"))
    }
    let cache = folder.path + "/cache"
    let train = try DatasetLoader.load(dataset: "folder", path: folder.path + "/tree", train: true, cacheDirectory: cache)
    let test = try DatasetLoader.load(dataset: "folder", path: folder.path + "/tree", train: false, cacheDirectory: cache)
    XCTAssertEqual(cacheFiles(cache).count, 2, "train and test are cached separately")
    XCTAssertEqual(test.count, 1)
    let replacement = [UInt8](repeating: 9, count: side * side * 3)
    let changed = folder.path + "/tree/train/b/0.png"
    try Fixtures.writePNG(replacement, width: side, height: side, channels: 3, to: changed)
    try setModificationTime(changed, Date().addingTimeInterval(60))
    let reloaded = try DatasetLoader.load(
      dataset: "folder", path: folder.path + "/tree", train: true, cacheDirectory: cache)
    XCTAssertNotEqual(reloaded.pixels, train.pixels)
    XCTAssertEqual(Array(reloaded.pixels[(side * side * 3)...]), replacement)
  }
}
