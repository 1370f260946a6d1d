import Common
import Foundation

/// One mini-batch, ready for the network: normalised floats in NHWC and the labels.
public struct Batch: Sendable {
  /// count × height × width × channels, NHWC, normalised.
  public let x: [Float]
  public let y: [Int32]
  public let count: Int, height: Int, width: Int, channels: Int
  /// Position of this batch in its epoch (0-based).
  public let index: Int
  public let epoch: Int
  /// Which dataset images the batch holds, in order (for debugging and for tests of coverage).
  public let sampleIndices: [Int]

  public init(x: [Float], y: [Int32], count: Int, height: Int, width: Int, channels: Int, index: Int = 0, epoch: Int = 0,
              sampleIndices: [Int] = []) {
    self.x = x; self.y = y; self.count = count; self.height = height; self.width = width; self.channels = channels
    self.index = index; self.epoch = epoch; self.sampleIndices = sampleIndices
  }
}

/// Cuts a dataset into shuffled, augmented, normalised batches.
///
/// Every batch is a pure function of (seed, epoch, batch index): the epoch's order comes from
/// `RandomSource(seed:).derived(epoch)`, and batch i's augmentation from that stream's `derived(i + 1)`. So resuming
/// at batch k reproduces exactly what an uninterrupted run would have seen, and background prefetching cannot make
/// results depend on thread timing.
///
/// `@unchecked Sendable`: all stored properties are immutable except the one-epoch order cache, which is guarded by
/// `lock`.
public final class BatchLoader: @unchecked Sendable {
  public let dataset: ImageDataset
  public let batchSize: Int
  public let shuffle: Bool
  public let dropLast: Bool
  public let augmentation: Augmentation
  public let normalization: Normalization
  public let seed: UInt64
  /// Which contiguous part of every batch this loader hands out (data-parallel training: rank i of n takes
  /// part i of each global batch). Augmentation is still drawn for the whole batch, so a sample gets the
  /// same crop and flip whichever rank loads it.
  public let part: (index: Int, count: Int)
  private let table: [Float]
  private let lock = NSLock()
  private var cachedOrder: (epoch: Int, order: [Int])?

  /// Throws when `batchSize` is not positive or the normalisation does not fit the dataset's channels.
  public init(
    dataset: ImageDataset, batchSize: Int, shuffle: Bool, dropLast: Bool,
    augmentation: Augmentation, normalization: Normalization, seed: UInt64, part: (index: Int, count: Int) = (0, 1)
  ) throws {
    guard batchSize > 0 else { throw RDNASError.badInput("batch size must be positive (got \(batchSize))") }
    guard part.count >= 1, part.index >= 0, part.index < part.count, batchSize >= part.count else {
      throw RDNASError.badInput("a batch of \(batchSize) cannot be split into \(part.count) parts")
    }
    self.part = part
    try normalization.validate(channels: dataset.channels)
    self.dataset = dataset
    self.batchSize = batchSize
    self.shuffle = shuffle
    self.dropLast = dropLast
    self.augmentation = augmentation
    self.normalization = normalization
    self.seed = seed
    self.table = normalization.lookupTable(channels: dataset.channels)
  }

  public var batchesPerEpoch: Int {
    dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
  }

  /// The batches of epoch `e` from batch `startingAt` on, each prepared on a background queue while the previous
  /// one is being consumed.
  public func epoch(_ e: Int, startingAt: Int = 0) -> BatchSequence {
    BatchSequence(loader: self, epoch: e, start: max(0, startingAt))
  }

  /// The order in which epoch `e` visits the dataset (identity without shuffling).
  public func order(epoch e: Int) -> [Int] {
    guard shuffle else { return Array(0..<dataset.count) }
    lock.lock()
    if let cached = cachedOrder, cached.epoch == e {
      lock.unlock()
      return cached.order
    }
    lock.unlock()
    var rng = epochStream(e)
    let order = seededPermutation(count: dataset.count, using: &rng)
    lock.lock()
    cachedOrder = (e, order)
    lock.unlock()
    return order
  }

  /// Batch `index` of epoch `e`, computed directly; `index` must be in 0..<batchesPerEpoch.
  public func batch(epoch e: Int, index: Int) -> Batch {
    precondition(index >= 0 && index < batchesPerEpoch, "batch \(index) outside 0..<\(batchesPerEpoch)")
    let order = order(epoch: e)
    let whole = Array(order[(index * batchSize)..<min((index + 1) * batchSize, order.count)])
    let mine = (part.index * whole.count / part.count)..<((part.index + 1) * whole.count / part.count)
    let members = Array(whole[mine])
    var rng = epochStream(e).derived(UInt64(index) + 1)
    for _ in 0..<mine.lowerBound { _ = augmentation.draw(using: &rng) }  // the earlier parts' draws
    let size = dataset.imageByteCount
    let (h, w, c) = (dataset.height, dataset.width, dataset.channels)
    var x = [Float](repeating: 0, count: members.count * size)
    var y = [Int32](repeating: 0, count: members.count)
    dataset.pixels.withUnsafeBufferPointer { pixels in
      table.withUnsafeBufferPointer { table in
        x.withUnsafeMutableBufferPointer { out in
          for (k, sample) in members.enumerated() {
            let draw = augmentation.draw(using: &rng)
            writeAugmented(
              pixels.baseAddress! + sample * size, height: h, width: w, channels: c,
              draw: draw, padding: augmentation.cropPadding, table: table.baseAddress!,
              into: out.baseAddress! + k * size)
            y[k] = dataset.labels[sample]
          }
        }
      }
    }
    return Batch(
      x: x, y: y, count: members.count, height: h, width: w, channels: c,
      index: index, epoch: e, sampleIndices: members)
  }

  private func epochStream(_ e: Int) -> RandomSource {
    RandomSource(seed: seed).derived(UInt64(bitPattern: Int64(e)))
  }
}
