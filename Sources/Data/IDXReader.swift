import Common

/// The IDX format of MNIST and Fashion-MNIST: two zero bytes, an element type, a dimension count, big-endian
/// 32-bit dimensions, then the elements. Only unsigned-byte elements (type 0x08) are used by image datasets.
enum IDXReader {
  struct Tensor {
    let dims: [Int]
    let payload: ArraySlice<UInt8>
  }

  /// Reads and validates one IDX file (gzipped or not). The file size must match the header exactly, so a truncated
  /// download is caught here rather than as garbage images.
  static func read(_ path: String) throws -> Tensor {
    let bytes = try FileBytes.readMaybeGzip(path)
    guard bytes.count >= 4 else {
      throw RDNASError.badFile(path: path, reason: "truncated IDX file: \(bytes.count) bytes, no header")
    }
    guard bytes[0] == 0, bytes[1] == 0 else {
      let magic = bytes[0..<4].map { String($0, radix: 16) }.joined(separator: " ")
      throw RDNASError.badFile(path: path, reason: "not an IDX file (magic bytes \(magic), expected 0 0 8 n)")
    }
    guard bytes[2] == 0x08 else {
      throw RDNASError.badFile(
        path: path, reason: "wrong IDX magic: element type 0x\(String(bytes[2], radix: 16)), only unsigned bytes (0x08)")
    }
    let rank = Int(bytes[3])
    guard (1...4).contains(rank) else {
      throw RDNASError.badFile(path: path, reason: "wrong IDX magic: \(rank) dimensions")
    }
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
      throw RDNASError.badFile(path: path, reason: "truncated IDX file: \(bytes.count) bytes, header needs \(headerSize)")
    }
    var dims = [Int]()
    var elements = 1
    for d in 0..<rank {
      let o = 4 + 4 * d
      let dim = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
      dims.append(dim)
      let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
      guard !overflow else { throw RDNASError.badFile(path: path, reason: "IDX dimensions \(dims) overflow") }
      elements = product
    }
    let expected = headerSize + elements
    guard bytes.count == expected else {
      let shape = dims.map(String.init).joined(separator: "×")
      let what = bytes.count < expected ? "truncated IDX file" : "IDX file has trailing bytes"
      throw RDNASError.badFile(
        path: path, reason: "\(what): \(bytes.count) bytes, header (\(shape)) needs \(expected)")
    }
    return Tensor(dims: dims, payload: bytes[headerSize...])
  }
}

extension DatasetLoader {
  /// IDX images (N×H×W, or N×H×W×C) and labels (N), gzipped or not: gzip is detected by its magic bytes.
  public static func idx(images: String, labels: String, name: String) throws -> ImageDataset {
    let imageTensor = try IDXReader.read(images)
    let labelTensor = try IDXReader.read(labels)
    guard imageTensor.dims.count == 3 || imageTensor.dims.count == 4 else {
      throw RDNASError.badFile(
        path: images, reason: "expected images N×H×W (3 dimensions), found \(imageTensor.dims.count) dimensions")
    }
    guard labelTensor.dims.count == 1 else {
      throw RDNASError.badFile(
        path: labels, reason: "expected labels N (1 dimension), found \(labelTensor.dims.count) dimensions")
    }
    let count = imageTensor.dims[0], height = imageTensor.dims[1], width = imageTensor.dims[2]
    let channels = imageTensor.dims.count == 4 ? imageTensor.dims[3] : 1
    guard labelTensor.dims[0] == count else {
      throw RDNASError.badFile(
        path: labels, reason: "\(labelTensor.dims[0]) labels but \(images) holds \(count) images")
    }
    guard height > 0, width > 0, (1...4).contains(channels) else {
      throw RDNASError.badFile(path: images, reason: "bad image shape \(height)×\(width)×\(channels)")
    }
    let labelValues = labelTensor.payload.map { Int32($0) }
    let classNames = defaultClassNames(datasetName: name, maxLabel: Int(labelValues.max() ?? 0))
    return ImageDataset(
      validated: name, height: height, width: width, channels: channels,
      pixels: Array(imageTensor.payload), labels: labelValues, classNames: classNames)
  }

  /// Fashion-MNIST's published class names; other IDX datasets (MNIST digits) are named by their label.
  static func defaultClassNames(datasetName: String, maxLabel: Int) -> [String] {
    let fashion = [
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]
    if datasetName.lowercased().contains("fashion") && maxLabel < fashion.count { return fashion }
    return (0...max(maxLabel, 9)).map(String.init)
  }
}
