import Foundation
import Common
import Data
import Engine
import Ranking
import Supernet

/// Options for training one ordinary network (the demo, ResNet-20, and standalone ground truth).
public struct ClassifierTrainingConfig: Codable, Sendable, Equatable {
  public var epochs = 1
  public var batchSize = 64
  public var lr: Float = 0.1
  public var warmupEpochs: Double = 0
  public var cosine = true
  public var momentum: Float = 0.9
  public var nesterov = true
  public var weightDecay: Float = 5e-4
  public var seed: UInt64 = 0
  public var augment = false
  public init() {}
}

public struct TrainingProgress: Sendable {
  public var epoch: Int, step: Int, stepsTotal: Int
  /// This step was the epoch's last: the model is as an `epoch + 1`-epoch prefix of the schedule left it.
  public var endOfEpoch: Bool
  public var loss: Float, lr: Float
  public var imagesPerSecond: Double
}

public enum ClassifierTraining {
  /// Trains `model` on `dataset` with SGD; returns the mean loss of the last epoch. `progress` runs after every step
  /// (it may throw, to measure the model mid-schedule and fail the training if that fails).
  @discardableResult
  public static func train(_ model: ImageClassifier, dataset: ImageDataset, normalization: Normalization,
                           config: ClassifierTrainingConfig, precision: Precision = .fp32,
                           progress: (TrainingProgress) throws -> Void = { _ in }) throws -> Float {
    let loader = try BatchLoader(dataset: dataset, batchSize: config.batchSize, shuffle: true, dropLast: true,
                             augmentation: config.augment ? .cifar : .none, normalization: normalization,
                             seed: config.seed)
    let perEpoch = loader.batchesPerEpoch
    guard perEpoch > 0 else { throw RDNASError.badInput("dataset of \(dataset.count) images is smaller than one batch") }
    let total = perEpoch * config.epochs
    let warm = Int(config.warmupEpochs * Double(perEpoch))
    let schedule: LRSchedule = config.cosine
      ? .warmupCosine(base: config.lr, warmupSteps: warm, totalSteps: total, minimum: 0)
      : .constant(config.lr)
    var sgd = SGD.Config()
    sgd.momentum = config.momentum; sgd.nesterov = config.nesterov; sgd.weightDecay = config.weightDecay
    let opt = SGD(store: model.store, config: sgd)
    var step = 0
    var lastEpochLoss: Float = .nan
    let start = Date()
    for epoch in 0..<config.epochs {
      var sum: Float = 0
      for (index, batch) in loader.epoch(epoch).enumerated() {
        let t = Tape(training: true)
        t.precision = precision
        let loss = t.crossEntropy(model.logits(t, batch.tensor()), labels: batch.y)
        try t.backward(loss)
        let lr = schedule.lr(at: step)
        opt.step(lr: lr)
        if let bad = model.store.firstNonFiniteValue() {
          throw RDNASError.nonFinite(op: "SGD step", detail: "parameter \(bad) became non-finite")
        }
        sum += loss.scalar
        step += 1
        let elapsed = Date().timeIntervalSince(start)
        try progress(TrainingProgress(epoch: epoch, step: step, stepsTotal: total, endOfEpoch: index == perEpoch - 1,
                                      loss: loss.scalar, lr: lr,
                                      imagesPerSecond: Double(step * config.batchSize) / max(elapsed, 1e-9)))
      }
      lastEpochLoss = sum / Float(perEpoch)
    }
    return lastEpochLoss
  }

  public static func evaluate(_ model: ImageClassifier, dataset: ImageDataset, normalization: Normalization,
                              batchSize: Int = 256, precision: Precision = .fp32) throws -> EvaluationResult {
    let loader = try BatchLoader(dataset: dataset, batchSize: batchSize, shuffle: false, dropLast: false,
                             augmentation: .none, normalization: normalization, seed: 0)
    return ClassifierEvaluation.evaluate(loader: loader, precision: precision) { t, x in model.logits(t, x) }
  }
}
