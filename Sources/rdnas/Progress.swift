import Foundation

/// A single-line progress report with ETA on stderr (rewritten in place on a terminal, a line per
/// `every` items otherwise, so logs stay readable).
final class ProgressLine {
  let total: Int
  let label: String
  let start = Date()
  let isTTY = isatty(STDERR_FILENO) != 0
  private var last = Date.distantPast

  init(total: Int, label: String) { self.total = total; self.label = label }

  func update(_ done: Int, _ detail: String = "") {
    let now = Date()
    guard done == total || now.timeIntervalSince(last) > (isTTY ? 0.2 : 10) else { return }
    last = now
    let elapsed = now.timeIntervalSince(start)
    let rate = Double(done) / max(elapsed, 1e-9)
    let eta = rate > 0 ? Double(total - done) / rate : 0
    let line = String(format: "%@ %d/%d  %.2f/s  elapsed %@  ETA %@  %@", label, done, total, rate,
                      Self.clock(elapsed), Self.clock(eta), detail)
    FileHandle.standardError.write(Data(((isTTY ? "\r\u{1B}[K" : "") + line + (isTTY && done < total ? "" : "\n")).utf8))
  }

  static func clock(_ s: Double) -> String {
    let t = Int(s.rounded())
    return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%d:%02d", t / 60, t % 60)
  }
}
