import Foundation

/// One event per line of `metrics.jsonl`: `{"type": "step", ...fields}` so the file is easy to read with
/// jq or pandas, and the same decoder replays it in `rdnas monitor`. The shape of each type is documented
/// in docs/run-format.md; lines of schema 1 (rdnas 0.1.0) are upgraded by `LegacyEvents` before decoding.
/// Non-finite numbers are written as the strings "nan", "inf" and "-inf" (JSON has no literal for them).
public enum EventCoding {
  /// The `type` of each event, in the order of `TrainerEvent`'s cases.
  public static let types = ["started", "step", "rank_pair", "landmarks", "evaluation", "epoch_end", "checkpoint",
                             "command", "paused", "finished", "failed", "detached", "search"]

  /// The `type` key of an event's line.
  public static func type(of e: TrainerEvent) -> String {
    switch e {
    case .started: "started"
    case .step: "step"
    case .rankPair: "rank_pair"
    case .landmarks: "landmarks"
    case .evaluation: "evaluation"
    case .epochEnd: "epoch_end"
    case .checkpoint: "checkpoint"
    case .commandApplied: "command"
    case .paused: "paused"
    case .finished: "finished"
    case .failed: "failed"
    case .detached: "detached"
    case .search: "search"
    }
  }

  public static func line(_ e: TrainerEvent) -> String {
    let type = Self.type(of: e)
    let payload: Data
    switch e {
    case .started(let r): payload = encode(r)
    case .step(let r): payload = encode(r)
    case .rankPair(let r): payload = encode(r)
    case .landmarks(let r): payload = encode(r)
    case .evaluation(let r): payload = encode(r)
    case .epochEnd(let r): payload = encode(r)
    case .checkpoint(let r): payload = encode(r)
    case .commandApplied(let r): payload = encode(r)
    case .paused(let r): payload = encode(r)
    case .finished(let r): payload = encode(r)
    case .failed(let r): payload = encode(r)
    case .detached(let r): payload = encode(r)
    case .search(let r): return String(decoding: encode(r), as: UTF8.self)  // events.jsonl's own shape
    }
    // `type` first (sorted keys would bury it), then the record's keys in sorted order.
    var s = String(decoding: payload, as: UTF8.self)
    s.removeFirst()  // "{"
    return s == "}" ? "{\"type\":\"\(type)\"}" : "{\"type\":\"\(type)\"," + s
  }

  /// Decodes one line; nil for a blank, partial (still being written) or unknown line. A search's
  /// `events.jsonl` line (keyed by `event`, no `type`) decodes as `.search`.
  public static func decode(_ line: Substring) -> TrainerEvent? {
    guard !line.isEmpty, var data = line.data(using: .utf8),
          let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
    guard let type = obj["type"] as? String else {
      guard obj["event"] is String else { return nil }
      return (try? decoder.decode(SearchEvent.self, from: data)).map { .search($0) }
    }
    if LegacyEvents.isLegacy(obj) {
      guard let upgraded = try? JSONSerialization.data(withJSONObject: LegacyEvents.upgrade(obj)) else { return nil }
      data = upgraded
    }
    func d<T: Decodable>(_ t: T.Type) -> T? { try? decoder.decode(T.self, from: data) }
    switch type {
    case "started": return d(RunInfo.self).map { .started($0) }
    case "step": return d(StepRecord.self).map { .step($0) }
    case "rank_pair": return d(RankPairRecord.self).map { .rankPair($0) }
    case "landmarks": return d(LandmarkSet.self).map { .landmarks($0) }
    case "evaluation": return d(EvaluationRecord.self).map { .evaluation($0) }
    case "epoch_end": return d(EpochRecord.self).map { .epochEnd($0) }
    case "checkpoint": return d(CheckpointRecord.self).map { .checkpoint($0) }
    case "command": return d(CommandRecord.self).map { .commandApplied($0) }
    case "paused": return d(PauseRecord.self).map { .paused($0) }
    case "finished": return d(FinishRecord.self).map { .finished($0) }
    case "failed": return d(FailureRecord.self).map { .failed($0) }
    case "detached": return d(DetachRecord.self).map { .detached($0) }
    default: return nil
    }
  }

  /// A command as one line of the control file (no newline).
  public static func line(_ c: TrainerCommand) -> String { String(decoding: encode(c), as: UTF8.self) }

  /// A command line of the control file, of either schema; nil for anything else.
  public static func command(_ line: Substring) -> TrainerCommand? {
    guard var obj = object(line) else { return nil }
    if LegacyEvents.isLegacyCommand(obj) { obj = LegacyEvents.upgradeCommand(obj) }
    guard let data = try? JSONSerialization.data(withJSONObject: obj) else { return nil }
    return try? decoder.decode(TrainerCommand.self, from: data)
  }

  static func object(_ line: Substring) -> [String: Any]? {
    guard let data = line.data(using: .utf8) else { return nil }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
  }

  static func encode<T: Encodable>(_ value: T) -> Data {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    // Only Strings, numbers, Bools and arrays of them: encoding cannot fail.
    return try! enc.encode(value)
  }

  static var decoder: JSONDecoder {
    let dec = JSONDecoder()
    dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return dec
  }
}
