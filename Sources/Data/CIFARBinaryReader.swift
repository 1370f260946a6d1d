import Common
import Foundation

/// The CIFAR-10 "binary version" (what outside users download): fixed 3073-byte records of one label byte followed
/// by a 32×32 image stored channel-major (1024 R, 1024 G, 1024 B), which we transpose to the HWC layout of
/// `ImageDataset`.
extension DatasetLoader {
  static let cifar10ClassNames = [
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
  ]

  static func cifarBatchFiles(train: Bool) -> [String] {
    train ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
  }

  /// `directory` holds data_batch_1…5.bin (train) or test_batch.bin (test); batches.meta.txt, when present, names
  /// the classes one per line.
  public static func cifar10Binary(directory: String, train: Bool) throws -> ImageDataset {
    try FileBytes.requireDirectory(directory)
    let classNames = try cifarClassNames(directory: directory)
    let side = 32, planeSize = side * side, imageSize = 3 * planeSize, recordSize = 1 + imageSize
    var pixels = [UInt8]()
    var labels = [Int32]()
    for fileName in cifarBatchFiles(train: train) {
      let path = (directory as NSString).appendingPathComponent(fileName)
      let bytes = try FileBytes.read(path)
      guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
        throw RDNASError.badFile(
          path: path,
          reason: "truncated CIFAR file: \(bytes.count) bytes is not a whole number of \(recordSize)-byte records")
      }
      let records = bytes.count / recordSize
      let base = pixels.count
      pixels.append(contentsOf: repeatElement(0, count: records * imageSize))
      labels.reserveCapacity(labels.count + records)
      for r in 0..<records where Int(bytes[r * recordSize]) >= classNames.count {
        throw RDNASError.badFile(
          path: path, reason: "record \(r) has label \(bytes[r * recordSize]) but there are \(classNames.count) classes")
      }
      bytes.withUnsafeBufferPointer { src in
        pixels.withUnsafeMutableBufferPointer { dst in
          for r in 0..<records {
            let record = src.baseAddress! + r * recordSize
            labels.append(Int32(record[0]))
            let planes = record + 1
            let out = dst.baseAddress! + base + r * imageSize
            for p in 0..<planeSize {
              out[3 * p] = planes[p]
              out[3 * p + 1] = planes[planeSize + p]
              out[3 * p + 2] = planes[2 * planeSize + p]
            }
          }
        }
      }
    }
    return ImageDataset(
      validated: "cifar10", height: side, width: side, channels: 3,
      pixels: pixels, labels: labels, classNames: classNames)
  }

  private static func cifarClassNames(directory: String) throws -> [String] {
    let metaPath = (directory as NSString).appendingPathComponent("batches.meta.txt")
    guard FileBytes.isFile(metaPath) else { return cifar10ClassNames }
    let text = String(decoding: try FileBytes.read(metaPath), as: UTF8.self)
    let names = text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    guard !names.isEmpty else {
      throw RDNASError.badFile(path: metaPath, reason: "no class names (expected one per line)")
    }
    return names
  }
}
