import Foundation
import Common

/// How often a run writes `last.safetensors` between epoch ends, so a `kill -9` (an OOM kill, a lost
/// node) loses at most this much work: every N optimiser steps (as Lightning's `every_n_train_steps`), every
/// N minutes of wall time (`train_time_interval`), or never (epoch ends and signals only).
///
/// Written as the command-line form in config.json: `"500"`, `"10m"`, `"off"`.
public enum CheckpointCadence: Sendable, Equatable, Codable, CustomStringConvertible {
  case steps(Int)
  case minutes(Double)
  case off

  /// Ten minutes: an hour-long epoch loses at most ten minutes, and a write every ten minutes costs nothing
  /// measurable (a checkpoint takes well under a second).
  public static let standard = CheckpointCadence.minutes(10)

  /// `500` (steps), `10m` / `90s` / `2h` (time), or `off`.
  public init(parsing text: String) throws {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    func bad() -> RDNASError {
      .badInput("--checkpoint-every '\(text)' is not a step count (500), a time (10m, 90s, 2h) or off")
    }
    if t == "off" || t == "0" { self = .off; return }
    if let n = Int(t) {
      guard n > 0 else { throw bad() }
      self = .steps(n); return
    }
    guard let unit = t.last, let scale = ["s": 1.0 / 60, "m": 1.0, "h": 60.0][String(unit)],
          let v = Double(t.dropLast()), v > 0, v.isFinite else { throw bad() }
    self = .minutes(v * scale)
  }

  public var description: String {
    switch self {
    case .steps(let n): return String(n)
    case .minutes(let m): return m == m.rounded() ? "\(Int(m))m" : "\(Int((m * 60).rounded()))s"
    case .off: return "off"
    }
  }

  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    do { try self.init(parsing: text) } catch {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                              debugDescription: "'\(text)' is not a checkpoint cadence (500, 10m, off)"))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }

  /// Tells when the next checkpoint is due, counting from the last one written.
  public struct Clock {
    public let cadence: CheckpointCadence
    var lastStep: Int
    var lastTime: Date

    public init(_ cadence: CheckpointCadence, step: Int, now: Date) {
      self.cadence = cadence; lastStep = step; lastTime = now
    }

    /// The checkpoint's reason ("steps" or "minutes") when one is due at `step`, else nil.
    public func due(step: Int, now: Date) -> String? {
      switch cadence {
      case .steps(let n): return step - lastStep >= n ? "steps" : nil
      case .minutes(let m): return now.timeIntervalSince(lastTime) >= m * 60 ? "minutes" : nil
      case .off: return nil
      }
    }

    /// A checkpoint was written (for whatever reason): count from here.
    public mutating func written(step: Int, now: Date) { lastStep = step; lastTime = now }
  }
}
