import Common
import Engine
import Foundation
import Search

/// Where a scoring run is, for progress bars.
public struct ProxyScoringProgress: Sendable {
  public let proxy: String
  /// Architectures done for this proxy, and how many there are.
  public let done: Int
  public let total: Int
  /// Seconds spent on this proxy so far.
  public let elapsed: Double
}

/// Scores of several proxies over one list of architectures.
public struct ProxyScores: Sendable {
  public let archs: [Encoding]
  /// Proxy names in the order they were given.
  public let names: [String]
  /// `values[name][i]` is proxy `name`'s score of `archs[i]`.
  public let values: [String: [Double]]
  /// Wall-clock seconds spent per proxy.
  public let seconds: [String: Double]

  /// Architectures scored per second by `name`.
  public func rate(_ name: String) -> Double {
    guard let s = seconds[name], s > 0 else { return .infinity }
    return Double(archs.count) / s
  }
}

/// Scores many architectures with several proxies, one architecture at a time.
///
/// Sequential on purpose: the Engine is not safe for concurrent passes (oneDNN calls share one stream and
/// the conv scratch buffers are process-wide), so the parallelism is oneDNN's own OpenMP threads inside
/// each op. Proxies run one after another over the whole list, so each gets its own timing.
public struct ProxyScorer {
  public let proxies: [any ZeroCostProxy]
  public let space: any SearchSpace
  public let batch: ProxyBatch?
  public let seed: UInt64
  /// oneDNN's thread count while scoring (restored afterwards); nil keeps the current one. Measured on the
  /// shared 2-core machine: with another process busy, 2 threads made NB201 proxies 50–150× slower than 1
  /// (every small op waits at an OpenMP barrier for a descheduled thread), so 1 is the safe choice there.
  public var threads: Int?

  /// Throws `badInput` when a data-dependent proxy is given no batch, or a name repeats.
  public init(proxies: [any ZeroCostProxy], space: any SearchSpace, batch: ProxyBatch?, seed: UInt64,
              threads: Int? = nil) throws {
    if batch == nil, let p = proxies.first(where: { $0.isDataDependent }) {
      throw RDNASError.badInput("proxy '\(p.name)' needs an input batch (a dataset)")
    }
    var seen = Set<String>()
    for p in proxies where !seen.insert(p.name).inserted {
      throw RDNASError.badInput("proxy '\(p.name)' is listed twice")
    }
    self.proxies = proxies
    self.space = space
    self.batch = batch
    self.seed = seed
    self.threads = threads
  }

  /// Every encoding is validated first (the error names its position in the list); a proxy's failure on
  /// one architecture is rethrown naming the proxy and the architecture. `progress` is called after every
  /// architecture, on the calling thread.
  public func score(_ archs: [Encoding], progress: ((ProxyScoringProgress) -> Void)? = nil) throws -> ProxyScores {
    for (i, a) in archs.enumerated() {
      do { try space.validate(a) } catch let e as RDNASError {
        throw RDNASError.badInput("architecture \(i + 1) of \(archs.count): \(e.description)")
      }
    }
    let savedThreads = DNNL.threads
    if let threads { DNNL.setThreads(threads) }
    defer { if threads != nil { DNNL.setThreads(savedThreads) } }
    var values: [String: [Double]] = [:]
    var seconds: [String: Double] = [:]
    for proxy in proxies {
      let start = Date()
      var column: [Double] = []
      column.reserveCapacity(archs.count)
      for (i, a) in archs.enumerated() {
        do {
          column.append(try proxy.score(arch: a, space: space, batch: batch, seed: seed))
        } catch let e as RDNASError {
          throw RDNASError.failure("proxy \(proxy.name), architecture \(space.format(a)): \(e.description)")
        }
        progress?(ProxyScoringProgress(proxy: proxy.name, done: i + 1, total: archs.count,
                                       elapsed: Date().timeIntervalSince(start)))
      }
      values[proxy.name] = column
      seconds[proxy.name] = Date().timeIntervalSince(start)
    }
    return ProxyScores(archs: archs, names: proxies.map(\.name), values: values, seconds: seconds)
  }
}
