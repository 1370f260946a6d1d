import Common

/// Per-channel normalisation x = (pixel/255 − mean) / std, with the constants the reference training uses.
/// A one-element mean/std applies to every channel.
public struct Normalization: Sendable, Equatable {
  public var mean: [Float]
  public var std: [Float]

  public init(mean: [Float], std: [Float]) {
    self.mean = mean
    self.std = std
  }

  public static let cifar10 = Normalization(mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616])
  public static let fashionMNIST = Normalization(mean: [0.2860], std: [0.3530])
  /// Pixels scaled to [0, 1] only.
  public static let unit = Normalization(mean: [0], std: [1])

  /// The dataset's own statistics (use the train split). A constant channel gets std 1 rather than a division by 0.
  public static func fromData(_ dataset: ImageDataset) -> Normalization {
    let stats = dataset.channelMeanStd()
    return Normalization(mean: stats.mean, std: stats.std.map { $0 > 1e-6 ? $0 : 1 })
  }

  /// Constants for a known dataset name, else nil (the caller may then use `fromData`).
  public static func named(_ dataset: String) -> Normalization? {
    switch dataset.lowercased() {
    case "cifar10", "cifar-10": return .cifar10
    case "fashion-mnist", "fashion_mnist", "fashionmnist": return .fashionMNIST
    default: return nil
    }
  }

  /// Checks that the constants fit `channels` and are usable.
  func validate(channels: Int) throws {
    for (label, values) in [("mean", mean), ("std", std)] where values.count != 1 && values.count != channels {
      throw RDNASError.badInput(
        "normalisation \(label) has \(values.count) values but the images have \(channels) channels")
    }
    guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
      throw RDNASError.badInput("normalisation std must be positive and finite (got \(std))")
    }
  }

  /// 256 normalised values per channel, so normalising a pixel is one table read.
  func lookupTable(channels: Int) -> [Float] {
    var table = [Float](repeating: 0, count: 256 * channels)
    for c in 0..<channels {
      let m = mean.count == 1 ? mean[0] : mean[c]
      let s = std.count == 1 ? std[0] : std[c]
      for v in 0..<256 { table[c * 256 + v] = (Float(v) / 255 - m) / s }
    }
    return table
  }
}
