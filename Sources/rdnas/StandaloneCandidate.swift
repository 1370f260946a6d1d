import Common
import Data
import Engine
import Foundation
import Search
import Supernet
import Training

/// One candidate of `rdnas standalone` trained from scratch and measured on the test split, saved as it goes so that
/// an interruption resumes it mid-schedule: its state lives in `<out>.checkpoints/<key>.safetensors` (every epoch end,
/// every 10 minutes, and when `stopRequested` turns true) until it finishes.
struct CandidateTraining {
  var out: String
  var config: ClassifierTrainingConfig
  var images: RunData
  var test: ImageDataset
  var precision: Precision
  /// Epochs after which the candidate is also measured (acc@e / loss@e).
  var measureAfterEpochs: Set<Int>
  var stopRequested: () -> Bool
  /// Print "resuming at step N" (rank 0 only under mpirun).
  var reportsResume: Bool

  /// The test accuracy, and the record's other fields: loss, seconds (over all the runs it took), precision(s),
  /// acc@e / loss@e, and where it resumed.
  struct Result { var accuracy: Double; var extras: [String: String] }

  /// Training stopped on request; its state was saved at `step` in `path`.
  struct Stopped: Error { var step: Int, total: Int, path: String }

  func checkpointPath(key: String) -> String { "\(out).checkpoints/\(key).safetensors" }

  func train(key: String, net: Supernet, arch: Encoding, archText: String,
             networkSeed: UInt64) throws -> Result {
    let t0 = Date()
    let model = FixedArchitecture(net: net, arch: arch)
    let measure = { try ClassifierTraining.evaluate(model, dataset: test, normalization: images.normalization,
                                                    precision: precision) }
    let path = checkpointPath(key: key)
    var saved = StandaloneCheckpoint(arch: archText, seed: networkSeed, config: config, step: 0, seconds: 0,
                                     precisions: [precision.rawValue], resumedAt: [], midway: [:])
    var resume: (step: Int, momentum: [String: [Float]])?
    if FileManager.default.fileExists(atPath: path) {
      let (cp, momentum) = try StandaloneCheckpoint.resume(path: path, arch: archText, seed: networkSeed,
                                                           config: config, into: net.store)
      saved = cp
      saved.resumedAt.append(cp.step)
      if saved.precisions.last != precision.rawValue { saved.precisions.append(precision.rawValue) }
      resume = (cp.step, momentum)
      if reportsResume { progress("\(key): resuming at step \(cp.step) from \(path)") }
    }
    let before = saved.seconds
    var checkpointing = ClassifierCheckpointing(resume: resume) { step, optimizer in
      saved.step = step
      saved.seconds = before + Date().timeIntervalSince(t0)
      try saved.write(path: path, store: net.store, optimizer: optimizer)
    }
    checkpointing.stopRequested = stopRequested
    do {
      try ClassifierTraining.train(model, dataset: images.train, normalization: images.normalization, config: config,
                                   precision: precision, checkpointing: checkpointing) { p in
        guard p.endOfEpoch, measureAfterEpochs.contains(p.epoch + 1) else { return }
        let r = try measure()
        saved.midway["acc@\(p.epoch + 1)"] = String(format: "%.4f", r.accuracy)
        saved.midway["loss@\(p.epoch + 1)"] = String(format: "%.6f", r.loss)
      }
    } catch let stop as ClassifierTraining.Stopped {
      throw Stopped(step: stop.step, total: stop.total, path: path)
    }
    let r = try measure()
    var extras = ["loss": String(format: "%.6f", r.loss),
                  "seconds": String(format: "%.1f", before + Date().timeIntervalSince(t0)),
                  // A ground truth resumed across machines may mix precisions (`auto` picks per CPU): say which
                  // (for a network resumed on another machine, each in the order used). Extras hold JSON text, so a
                  // string goes in quoted.
                  "precision": "\"\(saved.precisions.joined(separator: "+"))\""]
      .merging(saved.midway) { a, _ in a }
    if !saved.resumedAt.isEmpty {
      extras["resumed_at_step"] = "[\(saved.resumedAt.map(String.init).joined(separator: ", "))]"
    }
    return Result(accuracy: r.accuracy, extras: extras)
  }

  /// The candidate's result is recorded: its checkpoint is no longer needed.
  func finished(key: String) throws {
    let path = checkpointPath(key: key)
    if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
  }
}
