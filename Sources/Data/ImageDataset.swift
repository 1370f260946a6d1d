import Common

/// A decoded image-classification dataset, held as the raw bytes every format decodes to and the cache stores.
///
/// Bytes rather than floats keep 60,000 CIFAR images at 184 MB, let augmentation address exact pixels, and make
/// normalisation a per-batch choice instead of something baked into the decoded data.
public struct ImageDataset: Sendable {
  public let name: String
  public let count: Int, height: Int, width: Int, channels: Int
  /// count × height × width × channels bytes: NHWC, so one image is one contiguous HWC block.
  public let pixels: [UInt8]
  public let labels: [Int32]
  public let classNames: [String]

  /// Checks that the arrays agree with the dimensions and that every label names a class, so that no later code
  /// (batching, evaluation) has to re-validate data that may have come from a file.
  public init(
    name: String, height: Int, width: Int, channels: Int,
    pixels: [UInt8], labels: [Int32], classNames: [String]
  ) throws {
    guard height > 0, width > 0, (1...4).contains(channels) else {
      throw RDNASError.badInput("dataset \(name): bad image shape \(height)×\(width)×\(channels)")
    }
    let imageBytes = height * width * channels
    guard pixels.count == labels.count * imageBytes else {
      throw RDNASError.badInput(
        "dataset \(name): \(pixels.count) pixel bytes for \(labels.count) images of \(imageBytes) bytes")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classNames.count }) {
      throw RDNASError.badInput(
        "dataset \(name): image \(bad) has label \(labels[bad]) but there are \(classNames.count) classes")
    }
    self.init(validated: name, height: height, width: width, channels: channels, pixels: pixels, labels: labels,
              classNames: classNames)
  }

  /// Bytes of one image (height × width × channels).
  public var imageByteCount: Int { height * width * channels }

  /// The images at `indices`, in that order (repeats allowed). Indices are the caller's own (from a split), so an
  /// out-of-range one is a programming error.
  public func subset(_ indices: [Int]) -> ImageDataset {
    let size = imageByteCount
    var newPixels = [UInt8](repeating: 0, count: indices.count * size)
    var newLabels = [Int32](repeating: 0, count: indices.count)
    pixels.withUnsafeBufferPointer { src in
      newPixels.withUnsafeMutableBufferPointer { dst in
        for (k, i) in indices.enumerated() {
          precondition(i >= 0 && i < count, "subset index \(i) out of 0..<\(count)")
          let from = src.baseAddress! + i * size
          (dst.baseAddress! + k * size).update(from: from, count: size)
          newLabels[k] = labels[i]
        }
      }
    }
    return ImageDataset(
      validated: name, height: height, width: width, channels: channels,
      pixels: newPixels, labels: newLabels, classNames: classNames)
  }

  /// Per-channel mean and (population) standard deviation in [0, 1] units, the statistics torchvision-style
  /// normalisation constants are computed with. Sums are exact integers, so the result does not depend on order.
  public func channelMeanStd() -> (mean: [Float], std: [Float]) {
    var sums = [UInt64](repeating: 0, count: channels)
    var squares = [UInt64](repeating: 0, count: channels)
    let pixelCount = count * height * width
    guard pixelCount > 0 else {
      return ([Float](repeating: 0, count: channels), [Float](repeating: 0, count: channels))
    }
    pixels.withUnsafeBufferPointer { p in
      for c in 0..<channels {
        var s: UInt64 = 0, q: UInt64 = 0
        var i = c
        while i < p.count {
          let v = UInt64(p[i])
          s &+= v
          q &+= v &* v
          i += channels
        }
        sums[c] = s
        squares[c] = q
      }
    }
    var mean = [Float](), std = [Float]()
    for c in 0..<channels {
      let m = Double(sums[c]) / (255 * Double(pixelCount))
      let meanSquare = Double(squares[c]) / (255 * 255 * Double(pixelCount))
      mean.append(Float(m))
      std.append(Float(max(0, meanSquare - m * m).squareRoot()))
    }
    return (mean, std)
  }

  /// For readers that have already checked shapes and labels against the file they came from.
  init(
    validated name: String, height: Int, width: Int, channels: Int,
    pixels: [UInt8], labels: [Int32], classNames: [String]
  ) {
    self.name = name
    self.count = labels.count
    self.height = height
    self.width = width
    self.channels = channels
    self.pixels = pixels
    self.labels = labels
    self.classNames = classNames
  }
}
