import CDNNL
import Foundation

/// What identifies "this CPU" for a cached speed measurement: the model name alone is not enough (the same
/// Xeon model appears with and without AMX on machines of this kind), so oneDNN's effective ISA is part of it.
public enum CPUIdentity {
  /// `model name` from /proc/cpuinfo ("unknown CPU" where there is none).
  public static var modelName: String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return "unknown CPU"
  }

  /// oneDNN's effective ISA as its bit mask in hex (names differ between oneDNN versions; the mask is stable).
  public static var isa: String { "isa=0x" + String(dnnl_get_effective_cpu_isa().rawValue, radix: 16) }

  public static var current: String { modelName + " " + isa }
}
