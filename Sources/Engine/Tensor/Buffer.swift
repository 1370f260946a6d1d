#if canImport(Glibc)
import Glibc
#endif

/// 64-byte-aligned float storage (one AVX-512 line), owned by whoever allocated it.
///
/// Activations and gradients are allocated and freed every step with the same few sizes. Straight
/// malloc/free of such blocks goes through mmap/munmap, and the page faults plus kernel zeroing cost
/// more than the convolutions (measured: ~50% of an NB201 step in the kernel). So freed blocks are kept
/// in per-size free lists (sizes rounded to 1, 1.25, 1.5 or 1.75 × a power of two) and reused.
enum Buffer {
  static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
    BufferPool.shared.take(bytes: count * 4).bindMemory(to: Float.self, capacity: count)
  }

  static func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
    let p = allocate(count)
    p.initialize(repeating: 0, count: count)
    return p
  }

  static func free(_ p: UnsafeMutablePointer<Float>) { BufferPool.shared.give(UnsafeMutableRawPointer(p)) }
}

final class BufferPool: @unchecked Sendable {
  static let shared = BufferPool()
  private var free: [Int: [UnsafeMutableRawPointer]] = [:]
  private var sizeOf: [UnsafeMutableRawPointer: Int] = [:]
  private var cachedBytes = 0
  /// Upper bound on memory kept for reuse; beyond it blocks go back to the system.
  private let maxCachedBytes = 4 << 30
  private var lock = pthread_mutex_t()

  init() { pthread_mutex_init(&lock, nil) }

  static func sizeClass(_ bytes: Int) -> Int {
    let b = max(64, (bytes + 63) & ~63)
    if b <= 4096 { return b }
    let top = Int.bitWidth - 1 - (b - 1).leadingZeroBitCount  // 2^top < b ≤ 2^(top+1)
    let quarter = 1 << (top - 2)
    return ((b + quarter - 1) / quarter) * quarter
  }

  func take(bytes: Int) -> UnsafeMutableRawPointer {
    let size = Self.sizeClass(bytes)
    pthread_mutex_lock(&lock)
    if let p = free[size]?.popLast() {
      cachedBytes -= size
      pthread_mutex_unlock(&lock)
      return p
    }
    pthread_mutex_unlock(&lock)
    var raw: UnsafeMutableRawPointer?
    guard posix_memalign(&raw, 64, size) == 0, let raw else { fatalError("out of memory allocating \(size) bytes") }
    pthread_mutex_lock(&lock)
    sizeOf[raw] = size
    pthread_mutex_unlock(&lock)
    return raw
  }

  func give(_ p: UnsafeMutableRawPointer) {
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    guard let size = sizeOf[p] else { Glibc.free(p); return }
    if cachedBytes + size > maxCachedBytes {
      sizeOf[p] = nil
      Glibc.free(p)
      return
    }
    free[size, default: []].append(p)
    cachedBytes += size
  }

  /// Bytes currently parked for reuse (for memory reports).
  var parkedBytes: Int {
    pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
    return cachedBytes
  }
}

/// Owned storage that an op's backward closure keeps alive (saved statistics, masks); freed with the
/// closure whether or not backward ever runs.
final class SavedBuffer: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int
  init(_ count: Int) { self.count = count; pointer = Buffer.allocate(count) }
  deinit { Buffer.free(pointer) }
}
