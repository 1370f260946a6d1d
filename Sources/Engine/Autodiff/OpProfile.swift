import Foundation

/// Where a step's time goes, per op kind (the op name up to its parameter, e.g. `conv2d`), forward and
/// backward apart. Forward time of an op is the time since the previous op was recorded, so model code
/// between ops (slicing, bookkeeping) is charged to the op that follows it; that is the overhead we want
/// to see. Attach one profile to every tape of a step with `tape.profile = profile`.
public final class OpProfile {
  public struct Entry { public var calls = 0; public var seconds = 0.0 }
  public private(set) var forward: [String: Entry] = [:]
  public private(set) var backward: [String: Entry] = [:]
  /// Time outside ops (optimiser, data), added by the caller.
  public var other: [String: Entry] = [:]
  var mark = DispatchTime.now().uptimeNanoseconds

  public init() {}

  static func kind(_ op: String) -> String { String(op.prefix { $0 != "(" && $0 != " " }) }

  func restart() { mark = DispatchTime.now().uptimeNanoseconds }

  func recordForward(_ op: String) {
    let now = DispatchTime.now().uptimeNanoseconds
    forward[Self.kind(op), default: Entry()].calls += 1
    forward[Self.kind(op), default: Entry()].seconds += Double(now - mark) / 1e9
    mark = now
  }

  func timeBackward(_ op: String, _ body: () -> Void) {
    let t0 = DispatchTime.now().uptimeNanoseconds
    body()
    backward[Self.kind(op), default: Entry()].calls += 1
    backward[Self.kind(op), default: Entry()].seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
  }

  public func time(_ what: String, _ body: () throws -> Void) rethrows {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    other[what, default: Entry()].calls += 1
    other[what, default: Entry()].seconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
  }

  public var totalSeconds: Double {
    [forward, backward, other].reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.seconds } }
  }

  /// A table sorted by time, per step when `steps` is given.
  public func table(steps: Int = 1) -> String {
    var rows: [(String, Entry)] = []
    rows += forward.map { ("\($0.key) fwd", $0.value) }
    rows += backward.map { ("\($0.key) bwd", $0.value) }
    rows += other.map { ($0.key, $0.value) }
    rows.sort { $0.1.seconds > $1.1.seconds }
    let total = totalSeconds
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    var out = pad("op", 24) + "   ms/step  calls/step      %\n"
    for (name, e) in rows {
      out += pad(name, 24) + String(format: "%10.2f %11.1f %6.1f\n", e.seconds * 1000 / Double(steps),
                                    Double(e.calls) / Double(steps), 100 * e.seconds / max(total, 1e-12))
    }
    out += pad("total", 24) + String(format: "%10.2f\n", total * 1000 / Double(steps))
    return out
  }
}
