import Foundation
import Common
import Engine
import Search

extension Trainer {
  /// Trains until the last epoch or a stop command; returns normally in both cases (a failure throws,
  /// after emitting `.failed` and trying to save what is there).
  public func run() throws {
    // OpenMP's thread count is per calling thread: set it on the thread that trains (often not main).
    if let n = context.threads { DNNL.setThreads(n) }
    // The trainer's own tapes (paths, rank pairs, landmarks) carry `context.precision`; zero-cost proxies
    // scoring priors compute in fp32 (a prior must not depend on the CPU the run landed on).
    runStart = Date()
    stepsAtStart = state.step
    emit(.started(RunInfo(name: config.name, space: space.name, strategy: config.strategy.rawValue,
                          proxy: state.proxy, proxies: config.rank.cycle, epochs: config.epochs,
                          stepsPerEpoch: stepsPerEpoch, batchSize: config.batchSize, dataset: config.dataset,
                          startStep: state.step, time: Date().timeIntervalSince1970,
                          ranks: isParallel ? collective.size : nil, precision: context.precision.rawValue,
                          precisionReason: context.precisionDecision?.reason,
                          precisionFP32Milliseconds: context.precisionDecision?.fp32Milliseconds,
                          precisionBF16Milliseconds: context.precisionDecision?.bf16Milliseconds,
                          threads: DNNL.threads, openMP: context.openMPSettings)))
    if let lm = landmarks { emit(.landmarks(lm.set)) }
    var cadence = CheckpointCadence.Clock(config.checkpointEvery ?? .standard, step: state.step, now: Date())
    do {
      while state.epoch < config.epochs {
        let epochStart = Date()
        let priorSecondsBefore = priors.computeSeconds, priorMissesBefore = priors.misses
        var lossSum = 0.0, count = 0
        for batch in loader.epoch(state.epoch, startingAt: state.batchInEpoch) {
          if try handleCommands() { return }
          let loss = try step(batch)
          lossSum += loss; count += 1
          state.batchInEpoch = batch.index + 1
          let every = config.rank.evalEverySteps ?? 0
          if let lm = landmarks, every > 0, state.step % every == 0 {
            emit(.evaluation(try lm.evaluate(step: state.step, epoch: state.epoch)))
          }
          if let reason = cadence.due(step: state.step, now: Date()) {
            try saveCheckpoint(reason: reason, alsoEpoch: nil)
            cadence.written(step: state.step, now: Date())
          }
        }
        let finished = state.epoch
        state.epoch += 1
        state.batchInEpoch = 0
        emit(.epochEnd(EpochRecord(epoch: finished, step: state.step, meanLoss: count > 0 ? lossSum / Double(count) : .nan,
                                   seconds: Date().timeIntervalSince(epochStart),
                                   residentMiB: ProcessMemory.residentBytes.map { Double($0) / 1_048_576 },
                                   peakResidentMiB: ProcessMemory.peakResidentBytes.map { Double($0) / 1_048_576 },
                                   priorSeconds: priors.computeSeconds - priorSecondsBefore,
                                   newPriors: priors.misses - priorMissesBefore)))
        if let lm = landmarks, (finished + 1) % max(1, config.rank.evalEveryEpochs) == 0 || state.epoch == config.epochs {
          emit(.evaluation(try lm.evaluate(step: state.step, epoch: finished)))
        }
        if (finished + 1) % max(1, config.checkpointEveryEpochs) == 0 || state.epoch == config.epochs {
          try saveCheckpoint(reason: "epoch", alsoEpoch: finished)
          cadence.written(step: state.step, now: Date())
        }
      }
      emit(.finished(FinishRecord(step: state.step, seconds: Date().timeIntervalSince(runStart), stopped: false)))
    } catch {
      emit(.failed(FailureRecord(step: state.step, message: "\(error)")))
      throw error
    }
  }

  /// Applies pending commands; blocks while paused (still applying commands). True means stop now.
  func handleCommands() throws -> Bool {
    while true {
      for c in try agreedCommands() {
        switch c {
        case .pause:
          if !paused { paused = true; emit(.paused(PauseRecord(step: state.step, paused: true))) }
        case .resume:
          if paused { paused = false; emit(.paused(PauseRecord(step: state.step, paused: false))) }
        case .setProxy(let p):
          state.proxy = p
          emit(.commandApplied(CommandRecord(step: state.step, command: c, detail: "guidance proxy is now \(p)")))
        case .checkpoint:
          let path = try saveCheckpoint(reason: "command", alsoEpoch: nil)
          emit(.commandApplied(CommandRecord(step: state.step, command: c, detail: "checkpoint written to \(path)")))
        case .stop(let save):
          if save { try saveCheckpoint(reason: "signal", alsoEpoch: nil) }
          emit(.commandApplied(CommandRecord(step: state.step, command: c, detail: save ? "stopping after saving" : "stopping")))
          emit(.finished(FinishRecord(step: state.step, seconds: Date().timeIntervalSince(runStart), stopped: true)))
          return true
        }
      }
      if !paused { return false }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  @discardableResult
  func saveCheckpoint(reason: String, alsoEpoch: Int?) throws -> String {
    let path = folder.lastCheckpointPath
    // Global state only (averaged statistics, the shared weights, momentum and RNG): any number of ranks
    // can resume it.
    synchroniseStatistics()
    guard collective.isRoot else { return path }
    try Checkpoint.save(path: path, store: net.store, optimizer: optimizer, state: state, config: config)
    if let e = alsoEpoch {
      try Checkpoint.save(path: folder.epochCheckpointPath(e), store: net.store, optimizer: optimizer, state: state,
                          config: config)
      if let keep = config.keepCheckpoints { folder.pruneEpochCheckpoints(keep: keep) }
    }
    emit(.checkpoint(CheckpointRecord(step: state.step, path: path, reason: reason, time: Date().timeIntervalSince1970)))
    return path
  }
}
