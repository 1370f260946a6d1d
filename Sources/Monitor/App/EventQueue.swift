import Synchronization
import RunEvents

/// Anything the UI loop can take events from without blocking.
public protocol EventSource: Sendable {
  /// Removes and returns the events that arrived since the last call (oldest first).
  func drain() -> [TrainerEvent]
}

/// The hand-off between a trainer (or file tailer) thread and the UI thread: pushes never wait for the UI
/// and the UI never waits for the trainer, a Mutex guards only an array swap.
///
/// If the UI stops draining, high-volume events (steps, rank pairs) beyond `limit` are dropped and counted;
/// run-level events (start, landmarks, evaluations, checkpoints, …) are always kept.
public final class EventQueue: EventSource {
  private struct State {
    var events: [TrainerEvent] = []
    var dropped = 0
  }
  private let state = Mutex(State())
  public let limit: Int

  public init(limit: Int = 200_000) { self.limit = max(1, limit) }

  public func push(_ e: TrainerEvent) {
    state.withLock { s in
      if s.events.count >= limit, EventQueue.isBulk(e) { s.dropped += 1; return }
      s.events.append(e)
    }
  }

  public func push<S: Sequence>(contentsOf events: S) where S.Element == TrainerEvent {
    for e in events { push(e) }
  }

  public func drain() -> [TrainerEvent] {
    state.withLock { s in
      let out = s.events
      s.events = []
      return out
    }
  }

  /// Events dropped because the queue was full.
  public var droppedCount: Int { state.withLock { $0.dropped } }

  public var count: Int { state.withLock { $0.events.count } }

  static func isBulk(_ e: TrainerEvent) -> Bool {
    switch e {
    case .step, .rankPair: return true
    default: return false
    }
  }
}
