/// A time series with bounded memory for arbitrarily long runs.
///
/// Samples are grouped into buckets of `stride` consecutive samples (mean, min, max); when `capacity`
/// buckets are full, neighbouring buckets are merged pairwise and the stride doubles. Resolution therefore
/// stays uniform over the whole history (older points are merged, never dropped), the min/max envelope
/// survives merging, and memory never exceeds `capacity` buckets.
public struct BoundedSeries: Sendable, Equatable {
  public struct Bucket: Sendable, Equatable {
    public var xSum: Double, ySum: Double, lo: Double, hi: Double, count: Int
    public var x: Double { xSum / Double(count) }
    public var y: Double { ySum / Double(count) }

    init(x: Double, y: Double) { xSum = x; ySum = y; lo = y; hi = y; count = 1 }

    mutating func absorb(_ o: Bucket) {
      xSum += o.xSum; ySum += o.ySum; lo = min(lo, o.lo); hi = max(hi, o.hi); count += o.count
    }
  }

  public let capacity: Int
  public private(set) var buckets: [Bucket] = []
  /// Samples per complete bucket (a power of two).
  public private(set) var stride = 1
  private var pending: Bucket? = nil
  public private(set) var latest: Double? = nil
  public private(set) var latestX: Double? = nil
  /// Samples received (including non-finite ones, which are not plotted).
  public private(set) var sampleCount = 0

  public init(capacity: Int = 1024) { self.capacity = max(4, capacity) }

  public var isEmpty: Bool { buckets.isEmpty && pending == nil }

  public mutating func append(x: Double, y: Double) {
    sampleCount += 1
    latest = y; latestX = x
    guard y.isFinite, x.isFinite else { return }
    let b = Bucket(x: x, y: y)
    if var p = pending { p.absorb(b); pending = p } else { pending = b }
    guard let p = pending, p.count >= stride else { return }
    buckets.append(p)
    pending = nil
    if buckets.count >= capacity { compact() }
  }

  /// Merges neighbouring buckets pairwise and doubles the stride.
  private mutating func compact() {
    var merged = [Bucket]()
    merged.reserveCapacity(capacity / 2 + 1)
    var i = 0
    while i < buckets.count {
      var b = buckets[i]
      if i + 1 < buckets.count { b.absorb(buckets[i + 1]) }
      merged.append(b)
      i += 2
    }
    buckets = merged
    stride *= 2
  }

  /// Stored points count (complete buckets plus the partial one).
  public var count: Int { buckets.count + (pending == nil ? 0 : 1) }

  /// Chart points: each bucket's mean with its min/max.
  public var points: [ChartPoint] {
    var out = buckets.map { ChartPoint(x: $0.x, y: $0.y, lo: $0.lo, hi: $0.hi) }
    if let p = pending { out.append(ChartPoint(x: p.x, y: p.y, lo: p.lo, hi: p.hi)) }
    return out
  }

  /// The last `n` plotted values (bucket means), oldest first.
  public func lastValues(_ n: Int) -> [Double] { Array(points.suffix(n).map(\.y)) }
}

/// A fixed-size FIFO that keeps the newest `capacity` items.
public struct Ring<Element: Sendable>: Sendable {
  public let capacity: Int
  private var storage: [Element] = []
  private var head = 0
  public private(set) var totalAppended = 0

  public init(capacity: Int) { self.capacity = max(1, capacity) }

  public mutating func append(_ e: Element) {
    totalAppended += 1
    if storage.count < capacity { storage.append(e); return }
    storage[head] = e
    head = (head + 1) % capacity
  }

  public var count: Int { storage.count }
  public var isEmpty: Bool { storage.isEmpty }

  /// Items oldest first.
  public var items: [Element] { Array(storage[head...] + storage[..<head]) }

  /// Items newest first (the order lists are shown in).
  public var newestFirst: [Element] { items.reversed() }
}
