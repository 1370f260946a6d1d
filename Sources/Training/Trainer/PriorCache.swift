import Foundation
import Common
import Ranking
import Search

/// Zero-cost proxy values per (proxy, encoding), computed once: priors of rank pairs repeat across steps,
/// and some proxies (ZenScore, SynFlow, SWAP) cost a forward pass or more.
///
/// Besides the registry's proxies, two teachers exist only as priors:
/// - `random`: a uniform value per architecture, fixed for the run (a hash of the encoding and the seed).
///   The control that separates a proxy's information from the rank loss's mere regularisation.
/// - `file:PATH`: scores read from a table (competition JSON, or CSV with `arch` and `score` columns), so
///   any precomputed teacher (a rank-average of proxies, a proxy scored on the benchmark's own macro
///   skeleton) can guide training. An architecture missing from the table is an error, not a silent zero.
public final class PriorCache: @unchecked Sendable {
  /// Scores `arch` with `proxy` in `space` (the trainer's space: the dataset's input shape and classes).
  public typealias Scorer = (_ proxy: String, _ arch: Encoding, _ space: any SearchSpace) throws -> Double
  let space: any SearchSpace
  let scorer: Scorer?
  let seed: UInt64
  private var values: [String: [Encoding: Double]] = [:]
  private var tables: [String: [String: Double]] = [:]
  /// Every score of a table, ascending (for quantiles).
  private var sortedTables: [String: [Double]] = [:]
  public private(set) var computeSeconds = 0.0
  public private(set) var hits = 0, misses = 0

  /// `scorer` handles proxies other than the analytic "flops" and "params" and the built-in teachers.
  public init(space: any SearchSpace, scorer: Scorer? = nil, seed: UInt64 = 0) {
    self.space = space
    self.scorer = scorer
    self.seed = seed
  }

  /// Whether `proxy` is a teacher that scores the whole space, so a quantile of its prior is defined: a table
  /// (`file:PATH`) or `random` (uniform already). Proxies computed per architecture have no known distribution.
  public static func scoresWholeSpace(_ proxy: String) -> Bool { proxy == "random" || proxy.hasPrefix("file:") }

  /// The one error for an option that needs quantiles (`--min-prior-gap`) with a teacher that has none; raised by
  /// the config's validation and again by the trainer, since the monitor's `g` key can switch the live proxy.
  public static func needsWholeSpaceTeacher(_ option: String, got proxy: String) -> RDNASError {
    .badInput("\(option) needs a teacher that scores the whole space (file:PATH or random), not \(proxy)")
  }

  public func prior(_ proxy: String, _ arch: Encoding) throws -> Double {
    if let v = values[proxy]?[arch] { hits += 1; return v }
    misses += 1
    let t0 = Date()
    let v: Double
    switch proxy {
    case "flops": v = space.flops(arch)
    case "params": v = Double(space.params(arch))
    case "random": v = Self.randomPrior(space.format(arch), seed: seed)
    case _ where proxy.hasPrefix("file:"): v = try tablePrior(path: String(proxy.dropFirst(5)), arch)
    default:
      guard let scorer else { throw RDNASError.badInput("unknown proxy '\(proxy)' (known: flops, params, random, file:PATH)") }
      v = try scorer(proxy, arch, space)
    }
    computeSeconds += Date().timeIntervalSince(t0)
    values[proxy, default: [:]][arch] = v
    return v
  }

  /// Where `arch`'s prior lies among the priors of every architecture the teacher scores, in [0, 1] (the
  /// fraction scored strictly lower, ties at their lower edge); nil unless `scoresWholeSpace(proxy)`.
  /// It reads the teacher without going through `prior`, so the candidates a pair sampler rejects are neither
  /// cached nor counted as priors the run used.
  public func quantile(_ proxy: String, _ arch: Encoding) throws -> Double? {
    guard Self.scoresWholeSpace(proxy) else { return nil }
    if proxy == "random" { return Self.randomPrior(space.format(arch), seed: seed) }
    let path = String(proxy.dropFirst(5))
    let v = try values[proxy]?[arch] ?? tablePrior(path: path, arch)
    if sortedTables[path] == nil { sortedTables[path] = (tables[path].map { Array($0.values) } ?? []).sorted() }
    let sorted = sortedTables[path]!
    guard sorted.count > 1 else { return 0 }
    var lo = 0, hi = sorted.count  // first index with sorted[i] >= v
    while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] < v { lo = mid + 1 } else { hi = mid } }
    return Double(lo) / Double(sorted.count - 1)
  }

  /// Whether `proxy` has a prior for `arch`: false only for a table teacher without a row for it (one that scores
  /// a rank pool, not the whole space). A table that cannot be read is an error, as in `prior`.
  public func covers(_ proxy: String, _ arch: Encoding) throws -> Bool {
    guard proxy.hasPrefix("file:") else { return true }
    return try table(path: String(proxy.dropFirst(5)))[space.format(arch)] != nil
  }

  /// Uniform in [0, 1), a pure function of (architecture string, seed): FNV-1a then a SplitMix64 finaliser.
  public static func randomPrior(_ arch: String, seed: UInt64) -> Double {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
    for b in arch.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
    h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
    h ^= h >> 31
    return Double(h >> 11) / Double(UInt64(1) << 53)
  }

  private func tablePrior(path: String, _ arch: Encoding) throws -> Double {
    let name = space.format(arch)
    guard let v = try table(path: path)[name] else {
      throw RDNASError.badInput("prior table \(path) has no score for architecture \(name)")
    }
    return v
  }

  /// The table at `path`, read once, keyed by the space's canonical architecture string.
  private func table(path: String) throws -> [String: Double] {
    if let t = tables[path] { return t }
    let loaded = try GroundTruth.load(path: path, column: path.lowercased().hasSuffix(".csv") ? "score" : nil)
    var byArch: [String: Double] = [:]
    for e in loaded.entries {
      let key = (try? space.format(space.parse(e.arch))) ?? e.arch
      byArch[key] = e.score
    }
    tables[path] = byArch
    return byArch
  }
}
