#if canImport(Glibc)
import Glibc
#endif

/// 64-byte-aligned float storage (one AVX-512 line), owned by whoever allocated it.
enum Buffer {
  static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
    var raw: UnsafeMutableRawPointer?
    let bytes = max(64, (count * 4 + 63) & ~63)
    guard posix_memalign(&raw, 64, bytes) == 0, let raw else { fatalError("out of memory allocating \(bytes) bytes") }
    return raw.bindMemory(to: Float.self, capacity: count)
  }

  static func zeros(_ count: Int) -> UnsafeMutablePointer<Float> {
    let p = allocate(count)
    p.initialize(repeating: 0, count: count)
    return p
  }

  static func free(_ p: UnsafeMutablePointer<Float>) { Glibc.free(p) }
}

/// Owned storage that an op's backward closure keeps alive (saved statistics, masks); freed with the
/// closure whether or not backward ever runs.
final class SavedBuffer: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int
  init(_ count: Int) { self.count = count; pointer = Buffer.allocate(count) }
  deinit { Buffer.free(pointer) }
}
