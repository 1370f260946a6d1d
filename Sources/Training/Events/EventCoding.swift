import Foundation

/// One event per line of `metrics.jsonl`: `{"type": "step", ...fields}` so the file is easy to read with
/// jq or pandas, and the same decoder replays it in `rdnas monitor`.
public enum EventCoding {
  public static func line(_ e: TrainerEvent) -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let (type, payload): (String, Data)
    switch e {
    case .started(let r): (type, payload) = ("started", try! enc.encode(r))
    case .step(let r): (type, payload) = ("step", try! enc.encode(r))
    case .rankPair(let r): (type, payload) = ("rank_pair", try! enc.encode(r))
    case .landmarks(let r): (type, payload) = ("landmarks", try! enc.encode(r))
    case .evaluation(let r): (type, payload) = ("evaluation", try! enc.encode(r))
    case .epochEnd(let r): (type, payload) = ("epoch_end", try! enc.encode(r))
    case .checkpoint(let r): (type, payload) = ("checkpoint", try! enc.encode(r))
    case .commandApplied(let r): (type, payload) = ("command", try! enc.encode(r))
    case .paused(let r): (type, payload) = ("paused", try! enc.encode(r))
    case .finished(let r): (type, payload) = ("finished", try! enc.encode(r))
    case .failed(let r): (type, payload) = ("failed", try! enc.encode(r))
    case .detached(let r): (type, payload) = ("detached", try! enc.encode(r))
    }
    var s = String(decoding: payload, as: UTF8.self)
    s.removeFirst()  // "{"
    return s == "}" ? "{\"type\":\"\(type)\"}" : "{\"type\":\"\(type)\"," + s
  }

  /// Decodes one line; nil for a blank, partial (still being written) or unknown line.
  public static func decode(_ line: Substring) -> TrainerEvent? {
    guard let data = line.data(using: .utf8), !line.isEmpty,
          let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let type = obj["type"] as? String else { return nil }
    let dec = JSONDecoder()
    dec.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    func d<T: Decodable>(_ t: T.Type) -> T? { try? dec.decode(T.self, from: data) }
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
}
