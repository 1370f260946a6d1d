import Foundation

/// Short, column-friendly number text: axis labels and table cells must stay a few characters wide whatever
/// the magnitude (losses near 1, FLOPs near 1e8, learning rates near 1e-4).
public enum NumberFormat {
  /// At most ~6 characters: `0`, `0.734`, `12.35`, `1234`, `12.3k`, `41.0M`, `1.2e-4`.
  public static func compact(_ v: Double) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    if v == 0 { return "0" }
    let a = abs(v), sign = v < 0 ? "-" : ""
    if a >= 1e4 {
      let units: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
      for (scale, suffix) in units where a >= scale * 0.9995 {
        let x = a / scale
        return sign + trimmed(x, decimals: x >= 99.95 ? 0 : (x >= 9.995 ? 1 : 2)) + suffix
      }
    }
    if a >= 1000 { return sign + String(Int(a.rounded())) }
    if a >= 100 { return sign + trimmed(a, decimals: 1) }
    if a >= 10 { return sign + trimmed(a, decimals: 2) }
    if a >= 0.01 { return sign + trimmed(a, decimals: 3) }
    let e = Int(floor(log10(a)))
    let m = a / pow(10, Double(e))
    return sign + String(format: "%.1fe%d", m, e)
  }

  /// Fixed decimals, for aligned table columns.
  public static func fixed(_ v: Double, _ decimals: Int) -> String {
    guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
    return String(format: "%.\(decimals)f", v)
  }

  /// Right-aligns `s` in `width` columns (never truncates; callers size columns from the data).
  public static func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
  }

  /// Integer with thousands separators: 58,600.
  public static func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return n < 0 ? "-" + out : out
  }

  /// A duration as `45s`, `12m05s`, `3h07m`, `2d04h`.
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--" }
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    if s < 86400 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    return String(format: "%dd%02dh", s / 86400, (s % 86400) / 3600)
  }

  /// Wall-clock time of day (local) as HH:MM:SS.
  public static func clock(_ time: Double) -> String {
    var t = time_t(time), tmv = tm()
    localtime_r(&t, &tmv)
    return String(format: "%02d:%02d:%02d", tmv.tm_hour, tmv.tm_min, tmv.tm_sec)
  }

  private static func trimmed(_ v: Double, decimals: Int) -> String {
    var s = String(format: "%.\(decimals)f", v)
    if s.contains(".") {
      while s.last == "0" { s.removeLast() }
      if s.last == "." { s.removeLast() }
    }
    return s
  }
}
