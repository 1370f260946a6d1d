import Common
import Foundation
import XCTest

@testable import Data

/// Real datasets, when this machine has them: Debian's Fashion-MNIST package, and the CIFAR-10 JPEG tree extracted
/// from ../shared/data/cifar10/cifar10-jpg.tar.gz into data/ (git-ignored). Skipped cleanly otherwise.
final class RealDataTests: XCTestCase {
  private var cifarRoot: String { Fixtures.repositoryRoot.appendingPathComponent("data/cifar10").path }

  private func requireFashionMNIST() throws -> String {
    let dir = DatasetLoader.defaultFashionMNISTDirectory
    guard FileBytes.isDirectory(dir) else {
      throw XCTSkip("Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")
    }
    return dir
  }

  private func requireCIFARTree() throws -> String {
    guard FileBytes.isDirectory(cifarRoot + "/test") else {
      throw XCTSkip("CIFAR-10 JPEG tree absent: tar xzf ../shared/data/cifar10/cifar10-jpg.tar.gz -C data/")
    }
    return cifarRoot
  }

  func testFashionMNISTTrainAndTest() throws {
    let dir = try requireFashionMNIST()
    let train = try DatasetLoader.load(dataset: "fashion-mnist", path: nil, train: true, cacheDirectory: nil)
    XCTAssertEqual([train.count, train.height, train.width, train.channels], [60000, 28, 28, 1])
    XCTAssertEqual(train.classNames.count, 10)
    var histogram = [Int](repeating: 0, count: 10)
    for label in train.labels { histogram[Int(label)] += 1 }
    XCTAssertEqual(histogram, [Int](repeating: 6000, count: 10))
    let stats = train.channelMeanStd()
    XCTAssertEqual(stats.mean[0], Normalization.fashionMNIST.mean[0], accuracy: 0.001)
    XCTAssertEqual(stats.std[0], Normalization.fashionMNIST.std[0], accuracy: 0.001)
    let test = try DatasetLoader.load(dataset: "fashion-mnist", path: dir, train: false, cacheDirectory: nil)
    XCTAssertEqual(test.count, 10000)
  }

  /// Decodes the test split (10,000) and the train split (50,000, through a cache), checks counts, class names and
  /// per-channel means, and prints the decode times. Note the canonical means differ by split: train
  /// (0.4914, 0.4822, 0.4465), test (0.4942, 0.4851, 0.4504); the JPEG re-encoding shifts them by ~0.0001.
  func testCIFAR10JPEGTree() throws {
    let root = try requireCIFARTree()
    let cache = try TemporaryFolder()
    func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
      let start = DispatchTime.now().uptimeNanoseconds
      let value = try body()
      return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    let (test, testSeconds) = try timed {
      try DatasetLoader.load(dataset: "cifar10", path: root, train: false, cacheDirectory: nil)
    }
    XCTAssertEqual([test.count, test.height, test.width, test.channels], [10000, 32, 32, 3])
    XCTAssertEqual(test.classNames, DatasetLoader.cifar10ClassNames)
    XCTAssertEqual(histogram(test), [Int](repeating: 1000, count: 10))
    let testMean = test.channelMeanStd().mean
    for (got, want) in zip(testMean, [0.4942, 0.4851, 0.4504] as [Float]) { XCTAssertEqual(got, want, accuracy: 0.002) }

    let (train, trainSeconds) = try timed {
      try DatasetLoader.load(dataset: "cifar10", path: root, train: true, cacheDirectory: cache.path)
    }
    XCTAssertEqual(train.count, 50000)
    XCTAssertEqual(histogram(train), [Int](repeating: 5000, count: 10))
    let trainMean = train.channelMeanStd().mean
    for (got, want) in zip(trainMean, [0.4913, 0.4821, 0.4465] as [Float]) { XCTAssertEqual(got, want, accuracy: 0.002) }
    let (cached, cachedSeconds) = try timed {
      try DatasetLoader.load(dataset: "cifar10", path: root, train: true, cacheDirectory: cache.path)
    }
    XCTAssertEqual(cached.pixels, train.pixels)
    XCTAssertEqual(cached.labels, train.labels)
    print(String(
      format: "CIFAR-10 JPEG decode: test %.2f s, train %.2f s (incl. cache write); cached train load %.2f s",
      testSeconds, trainSeconds, cachedSeconds))
  }

  private func histogram(_ d: ImageDataset) -> [Int] {
    var counts = [Int](repeating: 0, count: d.classNames.count)
    for label in d.labels { counts[Int(label)] += 1 }
    return counts
  }
}
