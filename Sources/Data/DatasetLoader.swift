import Common
import Foundation

/// The on-disk layouts rdnas reads.
public enum DatasetFormat: String, Sendable, CaseIterable {
  case idx
  case cifarBinary = "cifar-binary"
  case imageFolder = "image-folder"
}

/// Entry points that turn files into an `ImageDataset`. The per-format readers live in their own files.
public enum DatasetLoader {
  public static let defaultFashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"
  public static let defaultMNISTDirectory = "/usr/share/datasets/mnist"
  /// Where the README tells users to put CIFAR-10 (relative to the working directory).
  public static let defaultCIFAR10Directory = "data/cifar10"
  public static let knownDatasets = ["fashion-mnist", "mnist", "cifar10", "folder"]

  /// A named dataset's split. "fashion-mnist"/"mnist": a folder with the four standard IDX files (.gz or not);
  /// "cifar10": the binary version or an ImageFolder tree with train/ and test/ (auto-detected); "folder": an
  /// ImageFolder tree with train/ and test/. With `cacheDirectory`, the decoded split is cached there, keyed by the
  /// source files' names, sizes and mtimes.
  public static func load(dataset: String, path: String?, train: Bool, cacheDirectory: String?) throws -> ImageDataset {
    let source = try DatasetSource.resolve(dataset: dataset, path: path, train: train)
    guard let cacheDirectory, let fingerprint = FileBytes.fingerprint(of: source.files) else {
      return try source.build()
    }
    let cacheFile = DatasetCache.path(
      directory: cacheDirectory, label: "\(source.name)-\(train ? "train" : "test")", key: source.key)
    if let cached = DatasetCache.load(path: cacheFile, key: source.key, fingerprint: fingerprint) { return cached }
    let decoded = try source.build()
    DatasetCache.store(decoded, path: cacheFile, key: source.key, fingerprint: fingerprint)
    return decoded
  }

  /// Which format a folder holds, if any: CIFAR binary batches, IDX files, or class folders.
  public static func detectFormat(directory: String) -> DatasetFormat? {
    guard FileBytes.isDirectory(directory) else { return nil }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    if entries.contains(where: { $0 == "data_batch_1.bin" || $0 == "test_batch.bin" }) { return .cifarBinary }
    if entries.contains(where: { $0.contains("-idx") && $0.contains("-ubyte") }) { return .idx }
    if entries.contains(where: { FileBytes.isDirectory((directory as NSString).appendingPathComponent($0)) }) {
      return .imageFolder
    }
    return nil
  }
}

/// A resolved dataset split: the files it is made of (for the cache fingerprint) and how to decode them.
struct DatasetSource {
  let name: String
  /// Identifies the source independent of its contents: dataset, format, absolute path, split.
  let key: String
  let files: [String]
  let build: () throws -> ImageDataset

  static func resolve(dataset: String, path: String?, train: Bool) throws -> DatasetSource {
    switch dataset.lowercased() {
    case "fashion-mnist", "fashion_mnist", "fashionmnist":
      return try idx(name: "fashion-mnist", directory: path ?? DatasetLoader.defaultFashionMNISTDirectory, train: train)
    case "mnist":
      return try idx(name: "mnist", directory: path ?? DatasetLoader.defaultMNISTDirectory, train: train)
    case "cifar10", "cifar-10":
      return try cifar10(directory: path ?? DatasetLoader.defaultCIFAR10Directory, train: train)
    case "folder", "imagefolder", "image-folder":
      guard let path else { throw RDNASError.badInput("dataset 'folder' needs a path (a folder with train/ and test/)") }
      return try folder(name: "folder", root: path, train: train)
    default:
      throw RDNASError.badInput(
        "unknown dataset '\(dataset)' (known: \(DatasetLoader.knownDatasets.joined(separator: ", ")))")
    }
  }

  private static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  private static func idx(name: String, directory: String, train: Bool) throws -> DatasetSource {
    try FileBytes.requireDirectory(directory)
    let prefix = train ? "train" : "t10k"
    func find(_ stem: String) throws -> String {
      let plain = (directory as NSString).appendingPathComponent(stem)
      for candidate in [plain + ".gz", plain] where FileBytes.isFile(candidate) { return candidate }
      throw RDNASError.badFile(path: plain + "[.gz]", reason: "file not found")
    }
    let images = try find("\(prefix)-images-idx3-ubyte")
    let labels = try find("\(prefix)-labels-idx1-ubyte")
    return DatasetSource(
      name: name, key: "\(name)|idx|\(absolute(directory))|\(prefix)", files: [images, labels],
      build: { try DatasetLoader.idx(images: images, labels: labels, name: name) })
  }

  /// CIFAR-10 in either shape: the binary batches (directly, or in the cifar-10-batches-bin folder the official
  /// archive extracts to) or an ImageFolder tree with train/ and test/.
  private static func cifar10(directory: String, train: Bool) throws -> DatasetSource {
    try FileBytes.requireDirectory(directory)
    let nested = (directory as NSString).appendingPathComponent("cifar-10-batches-bin")
    for candidate in [directory, nested] where DatasetLoader.detectFormat(directory: candidate) == .cifarBinary {
      let files = DatasetLoader.cifarBatchFiles(train: train).map { (candidate as NSString).appendingPathComponent($0) }
      return DatasetSource(
        name: "cifar10", key: "cifar10|cifar-binary|\(absolute(candidate))|\(train ? "train" : "test")",
        files: files, build: { try DatasetLoader.cifar10Binary(directory: candidate, train: train) })
    }
    let trainFolder = (directory as NSString).appendingPathComponent("train")
    guard FileBytes.isDirectory(trainFolder) else {
      throw RDNASError.badFile(
        path: directory,
        reason: "neither the CIFAR-10 binary version (data_batch_1.bin … test_batch.bin)"
          + " nor a folder with train/ and test/")
    }
    return try folder(name: "cifar10", root: directory, train: train)
  }

  /// An ImageFolder tree with train/ and test/ (or val/). The test split is labelled with the train split's class
  /// list so the two never disagree on what label 3 means.
  private static func folder(name: String, root: String, train: Bool) throws -> DatasetSource {
    try FileBytes.requireDirectory(root)
    let trainRoot = (root as NSString).appendingPathComponent("train")
    let trainListing = try ImageFolderListing(root: trainRoot)
    var listing = trainListing
    if !train {
      let testRoot = (root as NSString).appendingPathComponent("test")
      let valRoot = (root as NSString).appendingPathComponent("val")
      let splitRoot = FileBytes.isDirectory(testRoot) || !FileBytes.isDirectory(valRoot) ? testRoot : valRoot
      listing = try ImageFolderListing(root: splitRoot, classNames: trainListing.classNames)
    }
    let chosen = listing
    return DatasetSource(
      name: name, key: "\(name)|image-folder|\(absolute(chosen.root))|\(chosen.classNames.joined(separator: "/"))",
      files: chosen.files,
      build: { try ImageFolderDecoder.decode(chosen, name: name) })
  }
}
