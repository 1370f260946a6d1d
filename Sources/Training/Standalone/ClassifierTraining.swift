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

/// Saving one network's training as it goes, so that an interruption (a signal, a session cut off) resumes it where it
/// stood instead of starting over: the schedule, the batches (a pure function of seed, epoch and index) and the
/// momentum continue exactly, so a resumed network ends as an uninterrupted one would.
public struct ClassifierCheckpointing {
  /// Where to pick up: `step` optimiser steps done, the model already holding the weights and BN statistics saved
  /// then, and the optimiser's momentum buffers from the same moment. nil: start from step 0.
  public var resume: (step: Int, momentum: [String: [Float]])?
  /// Writes the state after `step` steps: at every epoch end but the last, when `cadence` says so, and before stopping.
  public var save: (_ step: Int, _ optimizer: SGD) throws -> Void
  /// Extra saves between epoch ends, so a `kill -9` loses at most this much.
  public var cadence: CheckpointCadence = .standard
  /// Polled after every step: true saves and then throws `ClassifierTraining.Stopped`.
  public var stopRequested: () -> Bool = { false }

  public init(resume: (step: Int, momentum: [String: [Float]])?, save: @escaping (Int, SGD) throws -> Void) {
    self.resume = resume; self.save = save
  }
}

public enum ClassifierTraining {
  /// Training stopped on request after saving its state at `step`.
  public struct Stopped: Error { public var step: Int, total: Int }

  /// Trains `model` on `dataset` with SGD; returns the mean loss of the last epoch (of the steps this call ran, when it
  /// resumed mid-epoch). `progress` runs after every step (it may throw, to measure the model mid-schedule and fail
  /// the training if that fails); with `checkpointing`, the state is saved as it goes and a saved one resumed.
  @discardableResult
  public static func train(_ model: ImageClassifier, dataset: ImageDataset, normalization: Normalization,
                           config: ClassifierTrainingConfig, precision: Precision = .fp32,
                           checkpointing: ClassifierCheckpointing? = nil,
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
    if let resume = checkpointing?.resume {
      guard (0..<total).contains(resume.step) else {
        throw RDNASError.badInput("cannot resume at step \(resume.step): the schedule has \(total) steps")
      }
      try opt.restore(buffers: resume.momentum, steps: resume.step)
      step = resume.step
    }
    let firstStep = step
    var clock = CheckpointCadence.Clock(checkpointing?.cadence ?? .off, step: step, now: Date())
    var lastEpochLoss: Float = .nan
    let start = Date()
    for epoch in (step / perEpoch)..<config.epochs {
      var sum: Float = 0, count = 0
      let first = epoch == step / perEpoch ? step % perEpoch : 0
      for (offset, batch) in loader.epoch(epoch, startingAt: first).enumerated() {
        let index = first + offset
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
        count += 1
        step += 1
        let elapsed = Date().timeIntervalSince(start)
        try progress(TrainingProgress(epoch: epoch, step: step, stepsTotal: total, endOfEpoch: index == perEpoch - 1,
                                      loss: loss.scalar, lr: lr,
                                      imagesPerSecond: Double((step - firstStep) * config.batchSize) / max(elapsed, 1e-9)))
        // After `progress`, so what it measured at an epoch end is part of the saved state.
        if let c = checkpointing, step < total {
          let stop = c.stopRequested()
          if stop || index == perEpoch - 1 || clock.due(step: step, now: Date()) != nil {
            try c.save(step, opt)
            clock.written(step: step, now: Date())
          }
          if stop { throw Stopped(step: step, total: total) }
        }
      }
      lastEpochLoss = sum / Float(max(count, 1))
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
