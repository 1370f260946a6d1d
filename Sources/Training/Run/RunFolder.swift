import Foundation
import Common
import Engine

/// `runs/<name>/`: `config.json` (every option, version, git commit), `metrics.jsonl` (append-only event
/// log), `checkpoints/` (safetensors, written atomically), and `control` (commands from an attached monitor).
public final class RunFolder: @unchecked Sendable {
  public let path: String
  private var metricsFD: Int32 = -1
  private var appendFailure: (count: Int, errno: Int32) = (0, 0)
  private let lock = NSLock()

  public init(path: String) { self.path = path }

  public var configPath: String { path + "/config.json" }
  public var metricsPath: String { path + "/metrics.jsonl" }
  public var checkpointDirectory: String { path + "/checkpoints" }
  public var lastCheckpointPath: String { checkpointDirectory + "/last.safetensors" }
  public var controlPath: String { ControlChannel.path(runFolder: path) }
  public func epochCheckpointPath(_ epoch: Int) -> String {
    checkpointDirectory + String(format: "/epoch-%03d.safetensors", epoch)
  }

  /// Creates the folder; refuses to overwrite an existing run unless resuming (nothing written is lost).
  public func create(config: TrainingConfig, resuming: Bool) throws {
    let fm = FileManager.default
    if fm.fileExists(atPath: metricsPath), !resuming {
      throw RDNASError.badInput("run folder \(path) already holds a run; choose another --name or pass --resume")
    }
    try fm.createDirectory(atPath: checkpointDirectory, withIntermediateDirectories: true)
    removeAbandonedTemporaryFiles()
    if !resuming || !fm.fileExists(atPath: configPath) {
      try AtomicFile.write(Self.configJSON(config), to: configPath)
    }
    metricsFD = open(metricsPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard metricsFD >= 0 else { throw RDNASError.failure("cannot open \(metricsPath) for appending") }
  }

  /// The newest `keep` per-epoch checkpoints stay; older ones are removed (`last.safetensors` always stays).
  public func pruneEpochCheckpoints(keep: Int) {
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: checkpointDirectory)) ?? [])
      .filter { $0.hasPrefix("epoch-") && $0.hasSuffix(".safetensors") }
      .sorted()  // epoch-NNN: zero-padded, so name order is epoch order
    for f in files.dropLast(max(0, keep)) { try? FileManager.default.removeItem(atPath: checkpointDirectory + "/" + f) }
  }

  /// A process killed while writing a checkpoint leaves its temporary file (`.last.safetensors.tmp-PID`);
  /// the previous checkpoint is intact, so the leftover is only clutter, removed when the run (re)starts.
  func removeAbandonedTemporaryFiles() {
    for f in (try? FileManager.default.contentsOfDirectory(atPath: checkpointDirectory)) ?? []
    where f.hasPrefix(".") && f.contains(".tmp-") {
      try? FileManager.default.removeItem(atPath: checkpointDirectory + "/" + f)
    }
  }

  /// Appends one event as a JSON line with a single write(2), so a reader never sees interleaved lines.
  ///
  /// A write that fails (a full disk) must not leave half a line that would glue onto the next one: the file
  /// is cut back to its last complete line, training goes on, and `appendFailures` tells the CLI what was lost.
  public func append(_ event: TrainerEvent) {
    let line = EventCoding.line(event) + "\n"
    lock.lock(); defer { lock.unlock() }
    guard metricsFD >= 0 else { return }
    var st = stat()
    let before = fstat(metricsFD, &st) == 0 ? st.st_size : -1
    let length = line.utf8.count
    let written = line.withCString { write(metricsFD, $0, length) }
    if written != length {
      appendFailure = (appendFailure.count + 1, written < 0 ? errno : ENOSPC)
      if written > 0, before >= 0 { _ = ftruncate(metricsFD, before) }
    }
  }

  /// Events that could not be written to metrics.jsonl, with the reason of the last failure (nil: none).
  public var appendFailures: (count: Int, reason: String)? {
    lock.lock(); defer { lock.unlock() }
    return appendFailure.count == 0 ? nil : (appendFailure.count, String(cString: strerror(appendFailure.errno)))
  }

  public func close() {
    lock.lock(); defer { lock.unlock() }
    if metricsFD >= 0 { Foundation.close(metricsFD); metricsFD = -1 }
  }

  deinit { close() }

  static func configJSON(_ config: TrainingConfig) throws -> Data {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    let body = try enc.encode(config)
    var obj = try JSONSerialization.jsonObject(with: body) as! [String: Any]
    obj["rdnas_version"] = RDNASVersion.string
    obj["git_commit"] = RDNASVersion.gitCommit ?? NSNull()
    return try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
  }

  public static func readConfig(runDirectory: String) throws -> TrainingConfig {
    let p = runDirectory + "/config.json"
    guard let data = FileManager.default.contents(atPath: p) else {
      throw RDNASError.badInput("\(runDirectory) is not a run folder (no config.json)")
    }
    do { return try JSONDecoder().decode(TrainingConfig.self, from: data) } catch let e as DecodingError {
      throw RDNASError.badFile(path: p, reason: ErrorReport.describe(e))
    }
  }
}

public enum RDNASVersion {
  public static let string = BuildInfo.version
  /// The commit the binary was built from (stamped by make), else the commit of the working directory's
  /// repository when there is one (best effort, for run records).
  public static let gitCommit: String? = {
    if BuildInfo.commit != "unknown" { return BuildInfo.commit }
    var dir = FileManager.default.currentDirectoryPath
    for _ in 0..<6 {
      let head = dir + "/.git/HEAD"
      if let h = try? String(contentsOfFile: head, encoding: .utf8) {
        let line = h.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("ref: ") {
          let ref = dir + "/.git/" + line.dropFirst(5)
          return (try? String(contentsOfFile: ref, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return line
      }
      dir = (dir as NSString).deletingLastPathComponent
    }
    return nil
  }()
}
