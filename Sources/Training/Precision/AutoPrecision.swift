import Engine
import Foundation

/// What `--precision` asks for: a fixed precision, or `auto` (measure which is faster for this network here).
public enum PrecisionChoice: String, Sendable, CaseIterable, Codable {
  case auto, fp32, bf16
}

/// The precision a run uses and why, with the measured pass times when there were any (for the run's
/// `started` event and the headless line).
public struct PrecisionDecision: Codable, Sendable, Equatable {
  public var precision: Precision
  public var reason: String
  public var fp32Milliseconds: Double?
  public var bf16Milliseconds: Double?
  public init(precision: Precision, reason: String, fp32Milliseconds: Double? = nil, bf16Milliseconds: Double? = nil) {
    self.precision = precision; self.reason = reason
    self.fp32Milliseconds = fp32Milliseconds; self.bf16Milliseconds = bf16Milliseconds
  }

  /// A fixed `--precision fp32|bf16` (bf16 falls back to fp32 where the CPU lacks it).
  public static func fixed(_ requested: Precision, hardware: Bool = Precision.hardwareSupportsBF16) -> PrecisionDecision {
    let (p, warning) = Precision.resolve(requested, hardware: hardware)
    return PrecisionDecision(precision: p, reason: warning ?? "--precision \(requested.rawValue)")
  }
}

/// `--precision auto`: bf16 only where this CPU runs it natively *and* a short measurement of the run's own
/// network says it is clearly faster. Flags alone do not tell: on a Xeon with AVX512-BF16 but no AMX, oneDNN's
/// bf16 convolutions were slower than fp32 (platform notes), on AMX ~6× faster, on an EPYC ~1.8× faster.
/// Results are cached per CPU, network and thread count, so the measurement runs once per machine kind.
public struct AutoPrecision: Sendable {
  /// bf16 must save at least this fraction of fp32's time: below it the difference is within the noise of a
  /// shared machine, and fp32 is the exact choice.
  public static let margin = 0.10
  public var hardware: Bool
  public var cache: PrecisionCache?
  /// Timed passes per precision after one warm-up pass each (the minimum is kept).
  public var repeats: Int
  /// Where a cache problem is reported (it never stops the run).
  public var note: @Sendable (String) -> Void

  public init(hardware: Bool = Precision.hardwareSupportsBF16, cache: PrecisionCache? = PrecisionCache(),
              repeats: Int = 3, note: @escaping @Sendable (String) -> Void = { _ in }) {
    self.hardware = hardware; self.cache = cache; self.repeats = max(1, repeats); self.note = note
  }

  /// The choice given the measured (minimum) times of one pass in each precision.
  public static func choose(fp32 fp32Milliseconds: Double, bf16 bf16Milliseconds: Double, margin: Double = margin) -> Precision {
    bf16Milliseconds.isFinite && bf16Milliseconds <= fp32Milliseconds * (1 - margin) ? .bf16 : .fp32
  }

  /// `decide(key:pass:)` for a workload built only when there is something to measure: without native bf16 the
  /// decision needs neither its name nor its passes, and building it (a whole probe supernet) would be wasted work
  /// that also leaves the run's heap different from a `--precision fp32` run's.
  public func decide<Workload: PrecisionWorkload>(threads: Int, workload: () throws -> Workload) throws -> PrecisionDecision {
    guard hardware else { return Self.withoutHardware }
    let w = try workload()
    return try decide(key: PrecisionCache.Key(cpu: CPUIdentity.current, network: w.network, threads: threads), pass: w.pass)
  }

  static let withoutHardware = PrecisionDecision(
    precision: .fp32, reason: "auto: this CPU has no native bf16 (oneDNN reports neither AVX512-BF16 nor AMX)")

  /// Decides for the workload `key.network`: without native bf16 fp32 (nothing measured); else the cached
  /// result for `key`, or a measurement — `pass(p)` runs one pass in precision `p` and returns its
  /// milliseconds; fp32 and bf16 passes alternate so that a burst of load on the machine hits both.
  public func decide(key: PrecisionCache.Key, pass: (Precision) throws -> Double) rethrows -> PrecisionDecision {
    guard hardware else { return Self.withoutHardware }
    if let cache, let hit = cache.lookup(key, note: note) {
      return Self.decision(fp32: hit.fp32Milliseconds, bf16: hit.bf16Milliseconds, network: key.network, cached: true)
    }
    _ = try pass(.fp32); _ = try pass(.bf16)  // warm-up: primitive creation (JIT) and first-touch memory
    var fp32 = Double.infinity, bf16 = Double.infinity
    for _ in 0..<repeats {
      fp32 = min(fp32, try pass(.fp32))
      bf16 = min(bf16, try pass(.bf16))
    }
    cache?.store(key, PrecisionCache.Entry(fp32Milliseconds: fp32, bf16Milliseconds: bf16,
                                           time: Date().timeIntervalSince1970), note: note)
    return Self.decision(fp32: fp32, bf16: bf16, network: key.network, cached: false)
  }

  static func decision(fp32: Double, bf16: Double, network: String, cached: Bool) -> PrecisionDecision {
    let p = choose(fp32: fp32, bf16: bf16)
    let verdict = p == .bf16 ? "bf16 is faster" : "bf16 is not faster by \(Int(margin * 100)) %"
    let times = String(format: "fp32 %.1f ms, bf16 %.1f ms per pass of %@", fp32, bf16, network)
    return PrecisionDecision(precision: p, reason: "auto: \(verdict) (\(times)\(cached ? ", cached" : ""))",
                             fp32Milliseconds: fp32, bf16Milliseconds: bf16)
  }
}
