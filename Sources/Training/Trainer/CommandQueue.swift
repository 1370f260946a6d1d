import Foundation

/// Commands for a running trainer, pushed from any thread (the monitor's key handler, a signal handler,
/// the control-channel reader) and drained by the trainer at step boundaries.
public final class CommandQueue: @unchecked Sendable {
  private var pending: [TrainerCommand] = []
  private let lock = NSLock()

  public init() {}

  public func send(_ c: TrainerCommand) {
    lock.lock(); pending.append(c); lock.unlock()
  }

  public func drain() -> [TrainerCommand] {
    lock.lock(); defer { lock.unlock() }
    let out = pending
    pending.removeAll()
    return out
  }
}
