#if canImport(Glibc)
import Glibc
#endif

/// How long libgomp's idle threads spin at a barrier before sleeping, chosen from how busy the machine is when
/// rdnas starts. Neither fixed setting is right everywhere (issue 12), measured on 2-core machines at 2 threads:
/// - another process competing for the cores: the default spin (≈300k iterations) burns the CPU a descheduled
///   team-mate needs; the NB201 step ran 204 img/s by default vs 339 with GOMP_SPINCOUNT=10000;
/// - an idle machine (Intel Xeon with AMX): a short spin puts every worker to sleep between the many small
///   parallel regions of a step and each wake-up costs a futex round trip through the hypervisor; the ResNet-20
///   training step took 335–542 ms with GOMP_SPINCOUNT=10000 against 150–155 ms with the default.
/// libgomp reads the setting once, at load, so the decision is made before anything runs and applied by
/// re-executing the process (RDNAS's entry point).
public enum OpenMPSpin {
  /// The short spin used when the cores are shared.
  public static let shortSpin = "10000"

  public enum Decision: Equatable, Sendable {
    /// Leave libgomp's default: nothing else is running, or only one thread is asked for (no team to wait on).
    case keepDefault(reason: String)
    /// Set GOMP_SPINCOUNT=shortSpin: other work competes for the cores this process's threads need.
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

  /// The policy: short spin only when this process's threads would share cores with other work. `threads`
  /// is what the command asks for (nil = all cores); `localRanks` is the number of MPI ranks on this node.
  public static func decide(busyCores: Double?, cores: Int, threads: Int?, localRanks: Int) -> Decision {
    let wanted = min(threads ?? cores, cores)
    if wanted <= 1 { return .keepDefault(reason: "one thread, no team to wait on") }
    if localRanks > 1 { return .shortSpin(reason: "\(localRanks) MPI ranks share this node's cores") }
    guard let busy = busyCores else { return .keepDefault(reason: "machine load unknown") }
    // A quarter of a core of background noise (a shell, an editor, the monitor of another run) is not competition.
    let load = String(format: "%.2f", busy)
    if busy + Double(wanted) > Double(cores) + 0.25 {
      return .shortSpin(reason: "\(load) of \(cores) cores busy at start")
    }
    return .keepDefault(reason: "\(load) of \(cores) cores busy at start")
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
