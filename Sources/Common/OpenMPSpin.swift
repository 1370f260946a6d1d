#if canImport(Glibc)
import Glibc
#endif

/// OpenMP settings chosen when rdnas starts (issue 12): libgomp's barrier spin, and how many threads a command
/// uses by default when other work already keeps some cores busy. Measured on 2-core machines at 2 threads
/// (bench/results/omp-spin-*.md):
/// - on an idle Xeon with AMX, a short spin (GOMP_SPINCOUNT=10000) puts every worker to sleep between the many small
///   parallel regions of a step and each wake-up goes through the hypervisor: NB201 step median 409 vs 260 ms with
///   libgomp's default spin, ResNet-20 step 232 vs 195 ms. So the default spin is kept.
/// - next to one competing single-thread job, the default spin was still faster there (sandwich 2.9 vs 3.5 s),
///   though an earlier measurement on another 2-core machine favoured the short spin (NB201 204 vs 339 img/s).
///   Either way two threads on one free core lose badly: the sandwich step took 3.0–3.2 s at 2 threads against
///   1.2–1.3 s at 1 thread. So under load the default thread count becomes the free cores instead.
/// - several MPI ranks on one node share its cores by design: there the short spin stays (as it always was).
/// libgomp reads its settings once, at load, so they are applied by re-executing the process.
public enum OpenMPSpin {
  /// The short spin used where MPI ranks share a node.
  public static let shortSpin = "10000"

  public enum Decision: Equatable, Sendable {
    /// Leave libgomp's default spin.
    case keepDefault(reason: String)
    /// Set GOMP_SPINCOUNT=shortSpin: several MPI ranks share this node's cores.
    case shortSpin(reason: String)

    public var reason: String {
      switch self { case .keepDefault(let r), .shortSpin(let r): return r }
    }
  }

  /// Aggregate CPU time counters (the `cpu` line of /proc/stat, in clock ticks).
  public struct CPUTimes: Equatable, Sendable {
    public var total: UInt64
    public var idle: UInt64  // idle + iowait: time no task wanted the CPU
    public init(total: UInt64, idle: UInt64) { self.total = total; self.idle = idle }

    /// Parses the first line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal guest guest_nice".
    /// Guest time is already counted in user time, so it is left out of the total; steal is counted (time the
    /// hypervisor gave to someone else is time these cores were not free for us).
    public init?(procStatLine line: String) {
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      guard fields.first == "cpu", fields.count >= 5 else { return nil }
      let values = fields.dropFirst().prefix(8).compactMap { UInt64($0) }
      guard values.count >= 4 else { return nil }
      total = values.reduce(0, +)
      idle = values[3] + (values.count > 4 ? values[4] : 0)
    }
  }

  /// Cores busy with other work between two snapshots (0 … cores).
  public static func busyCores(from a: CPUTimes, to b: CPUTimes, cores: Int) -> Double {
    guard b.total > a.total, b.idle >= a.idle else { return 0 }
    let dt = Double(b.total - a.total), di = Double(b.idle - a.idle)
    return max(0, min(1, (dt - di) / dt)) * Double(cores)
  }

  /// The spin: short only where MPI ranks share the node's cores (`localRanks` > 1) and this process runs a team.
  public static func decide(cores: Int, threads: Int?, localRanks: Int) -> Decision {
    let wanted = min(threads ?? cores, cores)
    if wanted <= 1 { return .keepDefault(reason: "one thread, no team to wait on") }
    if localRanks > 1 { return .shortSpin(reason: "\(localRanks) MPI ranks share this node's cores") }
    return .keepDefault(reason: "libgomp's default")
  }

  /// The default thread count under load: the cores other work leaves free (at least one), or nil when at most a
  /// quarter of a core is busy (a shell, an editor, another run's monitor is not competition) and all cores are used.
  public static func freeCores(busyCores: Double, cores: Int) -> Int? {
    guard busyCores > 0.25 else { return nil }
    let free = max(1, cores - Int(busyCores.rounded()))
    return free < cores ? free : nil
  }

  /// Reads the aggregate CPU counters now; nil where /proc/stat is unavailable.
  public static func readCPUTimes() -> CPUTimes? {
    guard let f = fopen("/proc/stat", "r") else { return nil }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 512)
    guard fgets(&line, Int32(line.count), f) != nil else { return nil }
    let text = String(decoding: line.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return CPUTimes(procStatLine: text)
  }

  /// Measures how many cores other work keeps busy over `window` seconds (this process sleeps meanwhile).
  public static func measureBusyCores(window: Double = 0.1, cores: Int) -> Double? {
    guard let a = readCPUTimes() else { return nil }
    usleep(UInt32(window * 1_000_000))
    guard let b = readCPUTimes() else { return nil }
    return busyCores(from: a, to: b, cores: cores)
  }

  /// The value of `--threads N` / `--threads=N` in a command line, if given.
  public static func requestedThreads(in arguments: [String]) -> Int? {
    for (i, a) in arguments.enumerated() {
      if a == "--threads", i + 1 < arguments.count { return Int(arguments[i + 1]) }
      if a.hasPrefix("--threads=") { return Int(a.dropFirst("--threads=".count)) }
    }
    return nil
  }
}
