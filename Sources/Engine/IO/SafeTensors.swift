import Foundation
import Common

/// Reads and writes the safetensors format (8-byte little-endian header length, a JSON header of
/// {name: {dtype, shape, data_offsets}} plus optional "__metadata__" of string pairs, then raw
/// little-endian data), so `safetensors.torch.load_file` opens rdnas checkpoints directly.
public enum SafeTensors {
  public struct Entry: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]
    public init(shape: [Int], values: [Float]) { self.shape = shape; self.values = values }
  }

  public static func encode(_ tensors: [(String, Entry)], metadata: [String: String]) -> Data {
    var header: [String: Any] = [:]
    var offset = 0
    for (name, e) in tensors {
      let bytes = e.values.count * 4
      header[name] = ["dtype": "F32", "shape": e.shape, "data_offsets": [offset, offset + bytes]]
      offset += bytes
    }
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var json = try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    // Pad the header with spaces to an 8-byte multiple, as the reference writer does (aligned tensors).
    while json.count % 8 != 0 { json.append(0x20) }
    var out = Data(capacity: 8 + json.count + offset)
    var len = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &len) { out.append(contentsOf: $0) }
    out.append(json)
    for (_, e) in tensors {
      e.values.withUnsafeBytes { out.append(contentsOf: $0) }  // x86-64 and arm64 are little-endian
    }
    return out
  }

  public static func decode(_ data: Data, path: String) throws -> (tensors: [String: Entry], metadata: [String: String]) {
    func bad(_ why: String) -> RDNASError { .badFile(path: path, reason: "not a valid safetensors checkpoint: \(why)") }
    guard data.count >= 8 else { throw bad("file is \(data.count) bytes, shorter than the 8-byte header length") }
    let n = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian }
    guard n > 1, n <= UInt64(data.count - 8) else { throw bad("header length \(n) exceeds the file (\(data.count) bytes)") }
    let headerData = data.subdata(in: 8..<(8 + Int(n)))
    guard let obj = try? JSONSerialization.jsonObject(with: headerData), let header = obj as? [String: Any] else {
      throw bad("header is not a JSON object")
    }
    let base = 8 + Int(n)
    var tensors: [String: Entry] = [:]
    var metadata: [String: String] = [:]
    for (name, value) in header {
      if name == "__metadata__" {
        guard let m = value as? [String: String] else { throw bad("__metadata__ is not a string map") }
        metadata = m
        continue
      }
      guard let d = value as? [String: Any], let dtype = d["dtype"] as? String, let shape = d["shape"] as? [Int],
            let off = d["data_offsets"] as? [Int], off.count == 2 else { throw bad("entry \(name) is malformed") }
      guard dtype == "F32" else { throw bad("entry \(name) has dtype \(dtype); rdnas stores F32") }
      let count = shape.reduce(1, *)
      guard off[0] >= 0, off[1] - off[0] == count * 4, base + off[1] <= data.count else {
        throw bad("entry \(name) data [\(off[0]), \(off[1])) does not fit shape \(shape) or the file (truncated?)")
      }
      var values = [Float](repeating: 0, count: count)
      values.withUnsafeMutableBytes { dst in
        data.copyBytes(to: dst.bindMemory(to: UInt8.self), from: (base + off[0])..<(base + off[1]))
      }
      tensors[name] = Entry(shape: shape, values: values)
    }
    return (tensors, metadata)
  }

  public static func read(path: String) throws -> (tensors: [String: Entry], metadata: [String: String]) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw RDNASError.badFile(path: path, reason: "cannot read checkpoint (missing or unreadable)")
    }
    return try decode(data, path: path)
  }

  public static func write(_ tensors: [(String, Entry)], metadata: [String: String], path: String) throws {
    try AtomicFile.write(encode(tensors, metadata: metadata), to: path)
  }
}

/// Whole-file writes that never leave a half-written file under the final name: temp file in the same
/// folder, fsync, rename, fsync of the folder.
public enum AtomicFile {
  public static func write(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let dir = url.deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let tmp = dir + "/.\(url.lastPathComponent).tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw RDNASError.failure("cannot create \(tmp): \(String(cString: strerror(errno)))") }
    // The first failing call's errno, kept before close/unlink can overwrite it.
    var failure: Int32 = 0
    data.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let r = Foundation.write(fd, raw.baseAddress! + done, raw.count - done)
        if r < 0, errno == EINTR { continue }
        if r <= 0 { failure = r < 0 ? errno : ENOSPC; break }
        done += r
      }
    }
    if failure == 0, fsync(fd) != 0 { failure = errno }
    if close(fd) != 0, failure == 0 { failure = errno }
    if failure == 0, rename(tmp, path) != 0 { failure = errno }
    if failure != 0 {
      unlink(tmp)
      let kept = FileManager.default.fileExists(atPath: path) ? "; the previous file is unchanged" : ""
      throw RDNASError.failure("cannot write \(path): \(String(cString: strerror(failure)))\(kept)")
    }
    let dfd = open(dir, O_RDONLY)
    if dfd >= 0 { fsync(dfd); close(dfd) }
  }
}
