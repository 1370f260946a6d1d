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

  /// Sums every rank's gradients weighted by its share of the batch (`localCount` of `globalCount` images),
  /// along with the step's per-rank losses (means over the rank's images, so weighted the same way), in one
  /// all-reduce. Afterwards every rank holds the full-batch gradient, the same touched set, and the
  /// full-batch losses.
  func combineGradients(localCount: Int, globalCount: Int, losses: inout [Double]) {
    guard isParallel else { return }
    let gradients = net.store.packedGradientCount
    let needed = gradients + losses.count
    if exchangeBuffer.count != needed { exchangeBuffer = [Float](repeating: 0, count: needed) }
    let share = Float(localCount) / Float(globalCount)
    exchangeBuffer.withUnsafeMutableBufferPointer { buf in
      net.store.packGradients(into: UnsafeMutableBufferPointer(rebasing: buf[0..<gradients]), scale: share)
      for (k, l) in losses.enumerated() { buf[gradients + k] = Float(l) * share }
      collective.allReduce(buf, .sum)
      net.store.unpackGradients(from: UnsafeMutableBufferPointer(rebasing: buf[0..<gradients]))
      for k in losses.indices { losses[k] = Double(buf[gradients + k]) }
    }
  }

  /// Averages BN running statistics over ranks. Each rank's statistics follow its own part of the batches;
  /// before anything reads them (evaluation) or keeps them (checkpoint) they become one set again.
  func synchroniseStatistics() {
    guard isParallel else { return }
    var stats = net.store.packStatistics()
    collective.allReduce(&stats, .average)
    net.store.unpackStatistics(stats)
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
