import Data
import Engine

/// Top-1 accuracy and mean cross-entropy of a model over a dataset, in eval mode (running BN statistics)
/// unless `batchStatistics` asks for batch statistics (BN in training mode, no running-stat update kept).
public struct EvaluationResult: Sendable, Equatable, Codable {
  public var accuracy: Double
  public var loss: Double
  public var count: Int
}

public enum ClassifierEvaluation {
  /// `logits` runs the model on a tape (so supernets can pass a subnet choice in the closure).
  /// A single pass streams the loader (its prefetching overlaps the model); callers scoring many models on
  /// one set pass batches they loaded once.
  public static func evaluate(loader: BatchLoader, precision: Precision = .fp32,
                              logits: (Tape, Tensor) -> Tensor) -> EvaluationResult {
    evaluate(batches: loader.epoch(0), precision: precision, logits: logits)
  }

  public static func evaluate<S: Sequence>(batches: S, precision: Precision = .fp32,
                                           logits: (Tape, Tensor) -> Tensor) -> EvaluationResult
  where S.Element == Batch {
    var correct = 0, seen = 0
    var lossSum = 0.0
    for batch in batches {
      let t = Tape(training: false, inference: true)
      t.precision = precision
      let z = logits(t, batch.tensor())
      lossSum += Double(t.crossEntropy(z, labels: batch.y).scalar) * Double(batch.count)
      correct += correctCount(z, labels: batch.y)
      seen += batch.count
    }
    return EvaluationResult(accuracy: seen > 0 ? Double(correct) / Double(seen) : .nan,
                            loss: seen > 0 ? lossSum / Double(seen) : .nan, count: seen)
  }
}
