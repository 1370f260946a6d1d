import Common
import Dispatch
import Foundation
import RunEvents

/// Follows `metrics.jsonl` of a run folder: reads it from the start, then whatever is appended. A last line
/// without its newline is still being written, so it is kept until the newline arrives. Lines that do not
/// decode (unknown types, garbage) are skipped and counted. A file that shrinks (rewritten) is re-read.
///
/// Not thread-safe: call `poll` from one thread at a time (`follow` owns the tailer on its own queue).
public final class FileTailer: @unchecked Sendable {
  public let path: String
  /// Read at most this many bytes per poll, so a long replay reaches the UI in chunks.
  public var maxBytesPerPoll = 4 << 20
  public private(set) var offset: UInt64 = 0
  public private(set) var skippedLines = 0
  private var partial = Data()

  public init(file path: String) { self.path = path }

  /// Tails `<folder>/metrics.jsonl`.
  public convenience init(runFolder: String) {
    self.init(file: URL(fileURLWithPath: runFolder).appendingPathComponent("metrics.jsonl").path)
  }

  /// Events of the complete lines appended since the last poll; empty while the file does not exist yet.
  public func poll() throws -> [TrainerEvent] {
    var st = stat()
    guard stat(path, &st) == 0 else {
      if errno == ENOENT { return [] }
      throw RDNASError.badFile(path: path, reason: "cannot stat: \(String(cString: strerror(errno)))")
    }
    let size = UInt64(st.st_size)
    if size < offset { offset = 0; partial = Data() }  // truncated or replaced: start over
    guard size > offset else { return [] }
    guard let h = FileHandle(forReadingAtPath: path) else {
      throw RDNASError.badFile(path: path, reason: "cannot open for reading")
    }
    defer { try? h.close() }
    try h.seek(toOffset: offset)
    let want = Int(min(size - offset, UInt64(maxBytesPerPoll)))
    let chunk = try h.read(upToCount: want) ?? Data()
    offset += UInt64(chunk.count)
    return consume(chunk)
  }

  /// Splits buffered bytes into complete lines and decodes them.
  func consume(_ chunk: Data) -> [TrainerEvent] {
    partial.append(chunk)
    guard let lastNewline = partial.lastIndex(of: 0x0A) else { return [] }
    let complete = partial[partial.startIndex...lastNewline]
    let rest = partial[(lastNewline + 1)...]
    var out = [TrainerEvent]()
    for line in complete.split(separator: 0x0A, omittingEmptySubsequences: true) {
      let text = String(decoding: line, as: UTF8.self)
      if text.allSatisfy(\.isWhitespace) { continue }
      if let e = EventCoding.decode(Substring(text)) { out.append(e) } else { skippedLines += 1 }
    }
    partial = Data(rest)
    return out
  }

  /// Polls every `interval` seconds on a background queue and pushes into `queue` until the returned
  /// timer is cancelled (keep a reference to it: dropping it stops the polling). Errors go to `onError`
  /// (polling continues: the file may reappear).
  public func follow(into queue: EventQueue, interval: Double = 0.2,
                     onError: (@Sendable (Error) -> Void)? = nil) -> DispatchSourceTimer {
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "rdnas.monitor.tailer"))
    timer.schedule(deadline: .now(), repeating: interval)
    timer.setEventHandler { [self] in
      do {
        // Drain a backlog quickly, then settle to the timer rate.
        var events = try poll()
        while !events.isEmpty {
          queue.push(contentsOf: events)
          events = try poll()
        }
      } catch {
        onError?(error)
      }
    }
    timer.resume()
    return timer
  }
}
