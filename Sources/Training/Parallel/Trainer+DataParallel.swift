import Collective
import Common
import Engine

/// Data parallelism: every rank holds the whole supernet, takes its part of each global batch, and samples
/// the same paths and rank pairs (the sampling RNG lives in `TrainerState`, advanced identically on every
/// rank). Between backward and update the ranks add up their share-weighted gradients, so each applies the
/// update one process would apply to the whole batch. With one rank every function here returns at once.
extension Trainer {
  var collective: any Collective { context.collective }
  var isParallel: Bool { context.collective.size > 1 }

  /// Averages BN running statistics over ranks. Each rank's statistics follow its own part of the batches;
  /// before anything reads them (evaluation) or keeps them (checkpoint) they become one set again.
  func synchroniseStatistics() {
    guard isParallel else { return }
    var stats = net.store.packStatistics()
    collective.allReduce(&stats, .average)
    net.store.unpackStatistics(stats)
  }

  /// What every rank must agree on at a step, hashed (FNV-1a): position, sampling state after this step's
  /// draws, and the guiding proxy. Ranks that disagree would silently train different things.
  func agreementFingerprint(rng: RandomSource) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ v: UInt64) { h = (h ^ v) &* 0x100_0000_01b3 }
    mix(UInt64(state.step)); mix(UInt64(state.epoch)); mix(UInt64(state.batchInEpoch))
    for w in rng.state { mix(w) }
    for b in (state.proxy ?? "").utf8 { mix(UInt64(b)) }
    return h
  }

  /// Rank 0's pending commands (control file, signals, the monitor) on every rank, so that all apply the
  /// same commands at the same step.
  func agreedCommands() throws -> [TrainerCommand] {
    var pending: [TrainerCommand] = []
    if collective.isRoot {
      for c in control?.poll() ?? [] { commands.send(c) }
      pending = commands.drain()
    }
    return isParallel ? try collective.broadcast(pending) : pending
  }
}
