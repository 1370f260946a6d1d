import Foundation

/// `$XDG_CACHE_HOME/rdnas/precision.json` (default `~/.cache/rdnas/precision.json`): measured fp32 and bf16
/// pass times per CPU, network and thread count. It is only a cache: a missing, unreadable or corrupt file
/// means "measure again" (with a note), never a failed run; writes go to a temporary file renamed into place,
/// so a reader never sees half a file.
public struct PrecisionCache: Sendable {
  public struct Key: Sendable, Hashable {
    public var cpu: String
    public var network: String
    public var threads: Int
    public init(cpu: String, network: String, threads: Int) { self.cpu = cpu; self.network = network; self.threads = threads }
    var text: String { "\(cpu) | \(network) | threads=\(threads)" }
  }

  public struct Entry: Codable, Sendable, Equatable {
    public var fp32Milliseconds: Double
    public var bf16Milliseconds: Double
    public var time: Double
    public init(fp32Milliseconds: Double, bf16Milliseconds: Double, time: Double) {
      self.fp32Milliseconds = fp32Milliseconds; self.bf16Milliseconds = bf16Milliseconds; self.time = time
    }
    enum CodingKeys: String, CodingKey {
      case fp32Milliseconds = "fp32_ms", bf16Milliseconds = "bf16_ms", time = "time_unix"
    }
  }

  struct File: Codable {
    var version = 1
    var entries: [String: Entry] = [:]
  }

  public let path: String

  public init(path: String = PrecisionCache.defaultPath()) { self.path = path }

  public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    let base: String
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {  // the XDG spec ignores relative paths
      base = xdg
    } else {
      base = (environment["HOME"] ?? NSHomeDirectory()) + "/.cache"
    }
    return base + "/rdnas/precision.json"
  }

  public func lookup(_ key: Key, note: (String) -> Void = { _ in }) -> Entry? {
    read(note: note).entries[key.text]
  }

  public func store(_ key: Key, _ entry: Entry, note: (String) -> Void = { _ in }) {
    var file = read(note: { _ in })  // a corrupt file was reported by the lookup; it is replaced here
    file.entries[key.text] = entry
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      let dir = (path as NSString).deletingLastPathComponent
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
      let tmp = path + ".tmp.\(getpid())"
      try encoder.encode(file).write(to: URL(fileURLWithPath: tmp))
      guard rename(tmp, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(tmp)
        throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
      }
    } catch {
      note("precision cache \(path) not written (\(error.localizedDescription)); the next run measures again")
    }
  }

  func read(note: (String) -> Void) -> File {
    guard FileManager.default.fileExists(atPath: path) else { return File() }
    guard let data = FileManager.default.contents(atPath: path) else {
      note("precision cache \(path) is unreadable; measuring again")
      return File()
    }
    guard let file = try? JSONDecoder().decode(File.self, from: data), file.version == 1 else {
      note("precision cache \(path) is corrupt; ignoring it and measuring again")
      return File()
    }
    return file
  }
}
