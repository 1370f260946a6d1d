import CZlib
import Common
import Foundation

/// A decoded dataset on disk, so that a second start skips decoding 60,000 JPEGs.
///
/// Layout (little-endian): magic "RDNASIMG", version, source fingerprint, source key, name, count, height, width,
/// channels, class names, CRC-32 of pixels+labels, pixels, labels. Everything is checked on load (magic, version,
/// key, fingerprint, exact length, checksum, label range); any mismatch means "rebuild", never "trust".
public enum DatasetCache {
  static let magic = Array("RDNASIMG".utf8)
  static let version: UInt32 = 1

  /// $XDG_CACHE_HOME/rdnas, else ~/.cache/rdnas: a default for callers that want caching without choosing a place.
  public static var defaultDirectory: String {
    let env = ProcessInfo.processInfo.environment
    if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return (xdg as NSString).appendingPathComponent("rdnas") }
    return (NSHomeDirectory() as NSString).appendingPathComponent(".cache/rdnas")
  }

  /// The cache file for one source: readable prefix for humans, hash of the full key for uniqueness.
  static func path(directory: String, label: String, key: String) -> String {
    var hash = StableHash()
    hash.add(key)
    let safe = String(label.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    return (directory as NSString).appendingPathComponent("\(safe)-\(hash.hex).rdcache")
  }

  /// The cached dataset, or nil when the file is missing, stale, or damaged in any way.
  static func load(path: String, key: String, fingerprint: UInt64) -> ImageDataset? {
    guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return nil }
    return data.withUnsafeBytes { raw -> ImageDataset? in
      var reader = ByteReader(raw)
      guard reader.bytes(magic.count).map(Array.init) == magic, reader.u32() == version,
        reader.u64() == fingerprint, reader.string() == key,
        let name = reader.string(),
        let count = reader.int(), let height = reader.int(), let width = reader.int(), let channels = reader.int(),
        let classCount = reader.int(), classCount > 0, classCount < 1 << 20
      else { return nil }
      var classNames = [String]()
      for _ in 0..<classCount {
        guard let className = reader.string() else { return nil }
        classNames.append(className)
      }
      guard let checksum = reader.u32(), height > 0, width > 0, (1...4).contains(channels), count >= 0 else {
        return nil
      }
      let (pixelCount, o1) = count.multipliedReportingOverflow(by: height * width * channels)
      guard !o1, reader.remaining == pixelCount + 4 * count,
        let pixelBytes = reader.bytes(pixelCount), let labelBytes = reader.bytes(4 * count),
        crc(pixelBytes, labelBytes) == checksum
      else { return nil }
      let labels = (0..<count).map { i in
        Int32(littleEndian: labelBytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))
      }
      return try? ImageDataset(
        name: name, height: height, width: width, channels: channels,
        pixels: [UInt8](pixelBytes), labels: labels, classNames: classNames)
    }
  }

  /// Writes atomically (temporary file in the same folder, then rename), so a reader never sees half a file and
  /// two processes filling the same cache cannot corrupt it. Failure only costs the next start a decode.
  @discardableResult
  static func store(_ dataset: ImageDataset, path: String, key: String, fingerprint: UInt64) -> Bool {
    let folder = (path as NSString).deletingLastPathComponent
    guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else {
      return false
    }
    var header = ByteWriter()
    header.append(magic)
    header.u32(version)
    header.u64(fingerprint)
    header.string(key)
    header.string(dataset.name)
    for n in [dataset.count, dataset.height, dataset.width, dataset.channels, dataset.classNames.count] {
      header.u64(UInt64(n))
    }
    dataset.classNames.forEach { header.string($0) }
    var labelBytes = [UInt8](repeating: 0, count: 4 * dataset.count)
    labelBytes.withUnsafeMutableBytes { raw in
      for (i, label) in dataset.labels.enumerated() {
        raw.storeBytes(of: label.littleEndian, toByteOffset: 4 * i, as: Int32.self)
      }
    }
    let checksum = dataset.pixels.withUnsafeBytes { p in labelBytes.withUnsafeBytes { l in crc(p, l) } }
    header.u32(checksum)

    let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
    guard FileManager.default.createFile(atPath: temporary, contents: nil),
      let handle = FileHandle(forWritingAtPath: temporary)
    else { return false }
    do {
      try handle.write(contentsOf: header.bytes)
      try handle.write(contentsOf: dataset.pixels)
      try handle.write(contentsOf: labelBytes)
      try handle.close()
      guard rename(temporary, path) == 0 else { throw RDNASError.failure("rename failed") }
      return true
    } catch {
      try? handle.close()
      try? FileManager.default.removeItem(atPath: temporary)
      return false
    }
  }

  private static func crc(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> UInt32 {
    var value = crc32_z(0, nil, 0)
    for part in [a, b] where part.count > 0 {
      value = crc32_z(value, part.bindMemory(to: UInt8.self).baseAddress, part.count)
    }
    return UInt32(truncatingIfNeeded: value)
  }
}

/// Little-endian serialisation for the cache header.
struct ByteWriter {
  private(set) var bytes = [UInt8]()
  mutating func append(_ b: [UInt8]) { bytes += b }
  mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  mutating func string(_ s: String) {
    u32(UInt32(s.utf8.count))
    bytes += s.utf8
  }
}

/// Bounds-checked reads: every accessor returns nil past the end, so a truncated cache cannot crash the loader.
struct ByteReader {
  private let raw: UnsafeRawBufferPointer
  private var offset = 0
  init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

  var remaining: Int { raw.count - offset }

  mutating func bytes(_ n: Int) -> UnsafeRawBufferPointer? {
    guard n >= 0, n <= remaining else { return nil }
    defer { offset += n }
    return UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)])
  }

  mutating func u32() -> UInt32? {
    bytes(4).map { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
  }

  mutating func u64() -> UInt64? {
    bytes(8).map { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
  }

  /// A dimension stored as u64, refused when it cannot be a sane Int.
  mutating func int() -> Int? {
    guard let v = u64(), v < 1 << 40 else { return nil }
    return Int(v)
  }

  mutating func string() -> String? {
    guard let n = u32(), let b = bytes(Int(n)) else { return nil }
    return String(decoding: b, as: UTF8.self)
  }
}
