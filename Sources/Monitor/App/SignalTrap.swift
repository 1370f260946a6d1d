import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT/SIGTERM/SIGHUP into a callback on a background queue instead of killing the process, so the
/// terminal is always restored and a checkpoint can be saved (a lost SSH connection is a SIGHUP).
///
/// With `hangupDetaches`, SIGHUP does not run the handler: it is only recorded (`hungUp`) so the UI can let go
/// of its dead terminal while the work goes on; SIGINT/SIGTERM still run the handler, and SIGHUP stays
/// ignored after `cancel` (nohup's behaviour: the terminal is gone for good).
///
/// The default action is ignored (`signal(sig, SIG_IGN)`) first, as Dispatch signal sources require; since
/// curses is initialised after this, it does not install its own handlers for these signals.
public final class SignalTrap: @unchecked Sendable {
  public static let defaultSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  private let sources: [DispatchSourceSignal]
  private let signals: [Int32]
  /// The first signal seen (0 = none), set before the handler runs.
  private let received = Atomic<Int32>(0)
  /// Set once the handler for the first signal has returned.
  private let handled = Atomic<Bool>(false)
  private let hangup = Atomic<Bool>(false)
  /// Whether SIGHUP only marks the terminal as gone (`hungUp`) instead of running the handler.
  public let hangupDetaches: Bool

  public static func name(_ sig: Int32) -> String {
    switch sig {
    case SIGINT: return "SIGINT"
    case SIGTERM: return "SIGTERM"
    case SIGHUP: return "SIGHUP"
    default: return "signal \(sig)"
    }
  }

  /// `handler` runs once, for the first signal, on a private serial queue (later signals are only recorded).
  public init(signals: [Int32] = SignalTrap.defaultSignals, hangupDetaches: Bool = false,
              handler: @escaping @Sendable (String) -> Void) {
    self.signals = signals
    self.hangupDetaches = hangupDetaches && signals.contains(SIGHUP)
    let queue = DispatchQueue(label: "rdnas.monitor.signals")
    var made = [DispatchSourceSignal]()
    for sig in signals {
      signal(sig, SIG_IGN)
      made.append(DispatchSource.makeSignalSource(signal: sig, queue: queue))
    }
    sources = made
    for (sig, src) in zip(signals, sources) {
      src.setEventHandler { [self] in
        if sig == SIGHUP && self.hangupDetaches {
          hangup.store(true, ordering: .sequentiallyConsistent)
          return
        }
        let (first, _) = received.compareExchange(expected: 0, desired: sig, ordering: .sequentiallyConsistent)
        guard first else { return }
        handler(SignalTrap.name(sig))
        handled.store(true, ordering: .sequentiallyConsistent)
      }
      src.resume()
    }
  }

  /// The name of the first signal received, if any (its handler may still be running).
  public var receivedSignal: String? {
    let s = received.load(ordering: .sequentiallyConsistent)
    return s == 0 ? nil : SignalTrap.name(s)
  }

  /// The name of the first signal once its handler has finished.
  public var handledSignal: String? { handled.load(ordering: .sequentiallyConsistent) ? receivedSignal : nil }

  /// Whether SIGHUP arrived (only with `hangupDetaches`; otherwise it is an ordinary `receivedSignal`).
  public var hungUp: Bool { hangup.load(ordering: .sequentiallyConsistent) }

  /// Stops trapping and restores the default actions (SIGHUP stays ignored once the terminal hung up).
  public func cancel() {
    for s in sources { s.cancel() }
    for sig in signals where !(sig == SIGHUP && hungUp) { signal(sig, SIG_DFL) }
  }
}
