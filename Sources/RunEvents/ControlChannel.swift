import Foundation

/// Commands from a detached monitor to a running trainer through the run folder: `control`, one
/// JSON-encoded `TrainerCommand` per line (`{"command":"set_proxy","proxy":"params"}`), appended by
/// `rdnas monitor` and polled by the trainer at step boundaries. A plain append-only file (not a FIFO) never blocks either side, survives either process
/// restarting, and keeps a record of what was asked. The trainer starts reading at the file's end, so
/// commands from an earlier session are not replayed.
public enum ControlChannel {
  /// `<run folder>/control`.
  public static func path(runFolder: String) -> String { runFolder + "/control" }

  public static func send(_ command: TrainerCommand, runFolder: String) throws {
    let path = path(runFolder: runFolder)
    let line = EventCoding.line(command) + "\n"
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
    defer { close(fd) }
    _ = line.withCString { write(fd, $0, strlen($0)) }
  }

  /// Polls the control file for complete new lines.
  public final class Reader: @unchecked Sendable {
    let path: String
    var offset: UInt64
    var partial = Data()

    public init(runFolder: String) {
      path = ControlChannel.path(runFolder: runFolder)
      offset = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
    }

    public func poll() -> [TrainerCommand] {
      guard let h = FileHandle(forReadingAtPath: path) else { return [] }
      defer { try? h.close() }
      guard (try? h.seek(toOffset: offset)) != nil, let data = try? h.readToEnd(), !data.isEmpty else { return [] }
      offset += UInt64(data.count)
      partial.append(data)
      var out: [TrainerCommand] = []
      while let nl = partial.firstIndex(of: 0x0A) {
        let line = partial[partial.startIndex..<nl]
        partial = Data(partial[(nl + 1)...])
        if let c = EventCoding.command(Substring(decoding: line, as: UTF8.self)) { out.append(c) }
      }
      return out
    }
  }
}
