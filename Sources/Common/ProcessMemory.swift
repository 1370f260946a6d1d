#if canImport(Glibc)
import Glibc
#endif

/// This process's memory as Linux reports it (/proc/self/status), for leak checks and run logs.
public enum ProcessMemory {
  /// Resident set size now, in bytes (VmRSS); nil where /proc is unavailable.
  public static var residentBytes: Int? { statusField("VmRSS:") }
  /// Peak resident set size so far, in bytes (VmHWM).
  public static var peakResidentBytes: Int? { statusField("VmHWM:") }

  private static func statusField(_ name: String) -> Int? {
    guard let f = fopen("/proc/self/status", "r") else { return nil }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), f) != nil {
      let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      guard text.hasPrefix(name) else { continue }
      let kb = text.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) }
      return kb.map { $0 * 1024 }
    }
    return nil
  }
}
