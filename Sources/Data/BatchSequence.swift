import Foundation

/// The batches of one epoch from a starting batch on. Iterating prepares up to two batches ahead on a background
/// queue; since each batch is a pure function of (seed, epoch, index), prefetching changes timing, never content.
public struct BatchSequence: Sequence, Sendable {
  public let loader: BatchLoader
  public let epoch: Int
  public let start: Int
  /// How many batches are prepared ahead of the one being consumed.
  public var prefetchDepth = 2

  public var underestimatedCount: Int { Swift.max(0, loader.batchesPerEpoch - start) }

  public func makeIterator() -> BatchIterator {
    BatchIterator(loader: loader, epoch: epoch, start: start, depth: Swift.max(1, prefetchDepth))
  }
}

/// Hands out batches in order while a serial background queue prepares the next ones. A serial queue (rather than
/// one task per batch) keeps batch preparation to one core, leaving the other to the consumer.
public final class BatchIterator: IteratorProtocol {
  /// A batch being prepared; written once by the queue, read after `ready` is signalled.
  private final class Slot: @unchecked Sendable {
    let ready = DispatchSemaphore(value: 0)
    var batch: Batch?
  }

  /// Set when the iterator is dropped early, so queued work is skipped rather than computed for nobody.
  private final class CancelFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    var isCancelled: Bool { lock.withLock { cancelled } }
    func cancel() { lock.withLock { cancelled = true } }
  }

  private let loader: BatchLoader
  private let epoch: Int
  private let end: Int
  private var nextToSchedule: Int
  private var pending: [Slot] = []
  private let queue = DispatchQueue(label: "rdnas.data.prefetch", qos: .userInitiated)
  private let flag = CancelFlag()

  init(loader: BatchLoader, epoch: Int, start: Int, depth: Int) {
    self.loader = loader
    self.epoch = epoch
    self.end = loader.batchesPerEpoch
    self.nextToSchedule = start
    for _ in 0..<depth { scheduleNext() }
  }

  deinit { flag.cancel() }

  public func next() -> Batch? {
    guard !pending.isEmpty else { return nil }
    let slot = pending.removeFirst()
    scheduleNext()  // keep the queue busy while the caller works on this batch
    slot.ready.wait()
    return slot.batch
  }

  private func scheduleNext() {
    guard nextToSchedule < end else { return }
    let slot = Slot()
    let (loader, epoch, index, flag) = (self.loader, self.epoch, nextToSchedule, self.flag)
    queue.async {
      if !flag.isCancelled { slot.batch = loader.batch(epoch: epoch, index: index) }
      slot.ready.signal()
    }
    pending.append(slot)
    nextToSchedule += 1
  }
}
