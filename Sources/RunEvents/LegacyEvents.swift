import Foundation

/// Reads schema 1 of `metrics.jsonl` and the control file (rdnas 0.1.0), whose keys were Swift's
/// synthesised camelCase property names and whose commands were Swift's enum coding
/// (`{"setProxy":{"_0":"params"}}`), by rewriting such a line into schema 2 before it is decoded. Run
/// folders from before the documented format thus still open in `rdnas monitor`.
///
/// A line is recognised per line (a tailer may start anywhere): every legacy key below is camelCase or a
/// bare `time`/`elapsed`, none of which schema 2 uses, and legacy commands are JSON objects.
enum LegacyEvents {
  /// Schema-1 key → schema-2 key; keys not listed (step, epoch, loss, …) are spelled the same in both.
  static let renamed: [String: String] = [
    "stepsPerEpoch": "steps_per_epoch", "batchSize": "batch_size", "startStep": "start_step", "time": "time_unix",
    "rankLoss": "rank_loss", "gradNorm": "grad_norm", "imagesPerSecond": "images_per_second",
    "elapsed": "elapsed_seconds",
    "priorA": "prior_a", "priorB": "prior_b", "lossA": "loss_a", "lossB": "loss_b",
    "groundTruth": "ground_truth",
    "tauGroundTruth": "tau_ground_truth", "tauProxy": "tau_proxy", "tauPrevious": "tau_previous",
    "tauGroundTruthByLoss": "tau_ground_truth_by_loss",
    "meanLoss": "mean_loss", "residentMiB": "resident_mib", "peakResidentMiB": "peak_resident_mib",
    "priorSeconds": "prior_seconds", "newPriors": "new_priors",
  ]

  static func isLegacy(_ obj: [String: Any]) -> Bool {
    if obj["type"] as? String == "started" { return obj["schema"] == nil }
    if obj["command"] is [String: Any] { return true }
    return obj.keys.contains { renamed[$0] != nil }
  }

  static func upgrade(_ obj: [String: Any]) -> [String: Any] {
    var out: [String: Any] = [:]
    for (k, v) in obj { out[renamed[k] ?? k] = v }
    if out["type"] as? String == "started", out["schema"] == nil { out["schema"] = 1 }
    if let command = obj["command"] as? [String: Any] {
      out["command"] = nil
      for (k, v) in upgradeCommand(command) { out[k] = v }
    }
    return out
  }

  static func isLegacyCommand(_ obj: [String: Any]) -> Bool { obj["command"] == nil && obj.count == 1 }

  /// `{"pause":{}}` → `{"command":"pause"}`, `{"setProxy":{"_0":"x"}}` → `{"command":"set_proxy","proxy":"x"}`,
  /// `{"stop":{"save":true}}` → `{"command":"stop","save":true}`.
  static func upgradeCommand(_ obj: [String: Any]) -> [String: Any] {
    guard let (name, payload) = obj.first else { return obj }
    let fields = payload as? [String: Any] ?? [:]
    switch name {
    case "setProxy": return ["command": "set_proxy", "proxy": fields["_0"] ?? NSNull()]
    case "stop": return ["command": "stop", "save": fields["save"] ?? NSNull()]
    default: return ["command": name]
    }
  }
}
