import Foundation
import Common
import Data
import Engine
import Search
import Supernet

/// Scores candidate architectures with weights inherited from a trained supernet (the competition's
/// evaluation): top-1 accuracy and loss on a validation set, BN in eval mode with the shared running
/// statistics (the reference), or after recalibrating BN on K training batches per candidate.
public struct CandidateEvaluator {
  public let net: Supernet
  /// The validation set and the calibration batches, decoded and normalised once for all candidates
  /// (the same batches every time, so candidates stay comparable and the loader's work is not repeated).
  public let validationBatches: [Batch]
  public let calibrationBatches: [Batch]
  /// Convolution precision of the evaluation passes (the command's `--precision` decision).
  public var precision: Precision = .fp32

  public init(net: Supernet, validation: BatchLoader, calibration: BatchLoader? = nil, calibrationBatches: Int = 0) {
    self.init(net: net, validationBatches: Array(validation.epoch(0)),
              calibrationBatches: calibration.map { Array($0.epoch(0).prefix(calibrationBatches)) } ?? [])
  }

  public init(net: Supernet, validationBatches: [Batch], calibrationBatches: [Batch] = []) {
    self.net = net
    self.validationBatches = validationBatches
    self.calibrationBatches = calibrationBatches
  }

  public func evaluate(_ arch: Encoding) throws -> EvaluationResult {
    guard !calibrationBatches.isEmpty else {
      return ClassifierEvaluation.evaluate(batches: validationBatches, precision: precision) { t, x in net.logits(t, x, arch: arch) }
    }
    // Recalibrate on a copy of the statistics, then put the trained ones back for the next candidate.
    let stats = net.store.all.filter { $0.kind == .buffer }
    let saved = stats.map(\.values)
    defer { for (p, v) in zip(stats, saved) { p.values = v } }
    BatchNormRecalibration.run(net, arch: arch, batches: calibrationBatches, precision: precision)
    return ClassifierEvaluation.evaluate(batches: validationBatches, precision: precision) { t, x in net.logits(t, x, arch: arch) }
  }
}

/// A deterministic 1/n of a candidate list: contiguous chunks of ⌊N/n⌋ with the remainder in the last,
/// as the reference's `split_json.py`.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
  public let index: Int, count: Int

  public init(index: Int, count: Int) { self.index = index; self.count = count }

  /// Parses "i/n" (0-based i).
  public init(parsing text: String) throws {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
      throw RDNASError.badInput("--shard '\(text)' must be i/n with 0 ≤ i < n (e.g. 0/16)")
    }
    index = i; count = n
  }

  public func range(of total: Int) -> Range<Int> {
    let size = total / count
    let lo = index * size
    return lo..<(index == count - 1 ? total : lo + size)
  }

  public var description: String { "\(index)/\(count)" }
}
