import CZlib
import Common
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with errors that name the file, plus the file facts the cache is keyed on.
///
/// Plain POSIX calls rather than `Data(contentsOf:)`: the image-folder reader opens 60,000 small files from many
/// threads, and this path has no per-call Foundation overhead.
enum FileBytes {
  static func isDirectory(_ path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
  }

  static func isFile(_ path: String) -> Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
  }

  /// Throws a one-line error naming `path` when it is not an existing folder.
  static func requireDirectory(_ path: String) throws {
    guard isDirectory(path) else {
      let reason = isFile(path) ? "is a file, expected a folder" : "folder not found"
      throw RDNASError.badFile(path: path, reason: reason)
    }
  }

  /// The whole file.
  static func read(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw openError(path) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw openError(path) }
    guard (info.st_mode & S_IFMT) != S_IFDIR else {
      throw RDNASError.badFile(path: path, reason: "is a folder, expected a file")
    }
    let size = Int(info.st_size)
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
      let n = bytes.withUnsafeMutableBytes { readSome(fd, $0.baseAddress! + done, size - done) }
      if n < 0 {
        if errno == EINTR { continue }
        throw RDNASError.badFile(path: path, reason: "read failed: \(String(cString: strerror(errno)))")
      }
      if n == 0 { break }
      done += n
    }
    if done < size { bytes.removeLast(size - done) }
    return bytes
  }

  /// The file's contents, inflated when it starts with the gzip magic (1f 8b) whatever its name says.
  static func readMaybeGzip(_ path: String) throws -> [UInt8] {
    let raw = try read(path)
    guard raw.count >= 2, raw[0] == 0x1f, raw[1] == 0x8b else { return raw }
    return try gunzip(path, sizeHint: raw.count)
  }

  /// Inflates through zlib's gz* API, which also handles concatenated members. A truncated or damaged stream is an
  /// error, never silently short data.
  private static func gunzip(_ path: String, sizeHint: Int) throws -> [UInt8] {
    guard let file = gzopen(path, "rb") else { throw openError(path) }
    gzbuffer(file, 1 << 17)
    var out = [UInt8]()
    out.reserveCapacity(sizeHint * 4)
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var failure: String?
    while true {
      let n = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
      if n <= 0 {
        var code: Int32 = 0
        var message = String(cString: gzerror(file, &code))
        if message.hasPrefix(path + ": ") { message.removeFirst(path.count + 2) }  // zlib prefixes the path
        if n < 0 || code != Z_OK { failure = message.isEmpty ? "zlib error \(code)" : message }
        break
      }
      out.append(contentsOf: chunk[0..<Int(n)])
    }
    let closed = gzclose(file)
    if failure == nil && closed != Z_OK { failure = "gzip stream ends early (zlib status \(closed))" }
    if let failure { throw RDNASError.badFile(path: path, reason: "corrupt gzip data: \(failure)") }
    return out
  }

  /// Size and modification time (ns), or nil when the file cannot be stat'ed.
  static func sizeAndModificationTime(_ path: String) -> (size: Int64, mtime: Int64)? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    #if os(Linux)
    let time = info.st_mtim
    #else
    let time = info.st_mtimespec
    #endif
    let mtime = Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    return (Int64(info.st_size), mtime)
  }

  private static func openError(_ path: String) -> RDNASError {
    let code = errno
    if code == ENOENT { return .badFile(path: path, reason: "file not found") }
    return .badFile(path: path, reason: "cannot open: \(String(cString: strerror(code)))")
  }
}

private func readSome(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
  return Glibc.read(fd, buffer, count)
  #else
  return Darwin.read(fd, buffer, count)
  #endif
}

/// FNV-1a, 64-bit: a stable hash (unlike `Hasher`, which is seeded per process) for cache keys and file names.
struct StableHash {
  private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  mutating func add(_ bytes: some Sequence<UInt8>) {
    for b in bytes {
      value ^= UInt64(b)
      value &*= 0x0000_0100_0000_01b3
    }
  }

  mutating func add(_ string: String) {
    add(string.utf8)
    add([0])
  }

  mutating func add(_ number: Int64) {
    withUnsafeBytes(of: number.littleEndian) { add($0) }
  }

  var hex: String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}

extension FileBytes {
  /// A fingerprint of the source files (name, size, mtime of each), or nil when one of them cannot be stat'ed.
  /// A folder's own mtime misses in-place edits of the files in it, so folders are fingerprinted by their files.
  static func fingerprint(of files: [String]) -> UInt64? {
    var hash = StableHash()
    for file in files {
      guard let facts = sizeAndModificationTime(file) else { return nil }
      hash.add(file)
      hash.add(facts.size)
      hash.add(facts.mtime)
    }
    return hash.value
  }
}
