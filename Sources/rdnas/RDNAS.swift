import ArgumentParser
import Collective
import Common
import Engine
import Foundation
import Training

@main
enum Entry {
  static func main() {
    OpenMPEnvironment.apply()
    do {
      var command = try RDNAS.parseAsRoot()
      try command.run()
    } catch {
      // A command line ArgumentParser cannot parse is bad input like any other: exit 2, as documented,
      // rather than its default 64 (help and --version still exit 0).
      if RDNAS.exitCode(for: error) == .validationFailure {
        let message = ErrorReport.describe(RDNASError.badInput(RDNAS.message(for: error))).message
        let known = RDNAS.configuration.subcommands.map { $0.configuration.commandName ?? "\($0)".lowercased() }
        let command = CommandLine.arguments.dropFirst().first.flatMap { known.contains($0) ? "rdnas \($0)" : nil } ?? "rdnas"
        FileHandle.standardError.write(Data("rdnas: error: \(message) (see `\(command) --help`)\n".utf8))
        exit(2)
      }
      RDNAS.exit(withError: error)
    }
  }
}

/// libgomp reads its settings once, when it is loaded, so they must be in the environment before the process
/// starts (OpenMPSpin has the measurements behind the choices): where several MPI ranks share a node, rdnas
/// re-executes itself with a short barrier spin; where `--threads` is not given and other work keeps cores busy
/// (measured over 0.1 s), with OMP_NUM_THREADS set to the free cores. Only commands that compute pay for the
/// measurement; settings the user made are left alone. The decisions reach the re-executed process in
/// RDNAS_OMP_SPIN and RDNAS_FREE_CORES, for `ComputeOptions` and the logs; child processes make their own.
enum OpenMPEnvironment {
  static let computeCommands: Set<String> = ["train", "eval", "proxy", "search", "export", "standalone", "demo", "bench"]

  static func apply() {
    if let ours = getenv("RDNAS_REEXEC").map({ String(cString: $0) }) {
      // Re-executed: libgomp read the variables set for it when it was loaded. Unset them so that child
      // processes (the ranks `train --ranks` starts through mpirun) decide for themselves.
      unsetenv("RDNAS_REEXEC")
      for name in ours.split(separator: ",") { unsetenv(String(name)) }
      return
    }
    for name in ["RDNAS_OMP_SPIN", "RDNAS_FREE_CORES", "RDNAS_FREE_CORES_REASON"] { unsetenv(name) }  // a parent's
    let args = CommandLine.arguments
    guard let command = args.dropFirst().first, computeCommands.contains(command),
          !args.contains("--help"), !args.contains("-h") else { return }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let threads = OpenMPSpin.requestedThreads(in: args)
    let localRanks = World.ranksOnThisNode
    var setForLibgomp: [String] = []
    if getenv("GOMP_SPINCOUNT") == nil, getenv("OMP_WAIT_POLICY") == nil {
      switch OpenMPSpin.decide(cores: cores, threads: threads, localRanks: localRanks) {
      case .keepDefault(let reason):
        setenv("RDNAS_OMP_SPIN", "default (\(reason))", 1)
      case .shortSpin(let reason):
        setenv("RDNAS_OMP_SPIN", "\(OpenMPSpin.shortSpin) (\(reason))", 1)
        setenv("GOMP_SPINCOUNT", OpenMPSpin.shortSpin, 1)
        setForLibgomp.append("GOMP_SPINCOUNT")
      }
    }
    if threads == nil, localRanks <= 1, getenv("OMP_NUM_THREADS") == nil, cores > 1,
       let busy = OpenMPSpin.measureBusyCores(cores: cores),
       let free = OpenMPSpin.freeCores(busyCores: busy, cores: cores) {
      setenv("OMP_NUM_THREADS", "\(free)", 1)
      setForLibgomp.append("OMP_NUM_THREADS")
      setenv("RDNAS_FREE_CORES", "\(free)", 1)
      setenv("RDNAS_FREE_CORES_REASON", String(format: "%.2f of %d cores busy at start", busy, cores), 1)
    }
    guard !setForLibgomp.isEmpty else { return }
    setenv("RDNAS_REEXEC", setForLibgomp.joined(separator: ","), 1)
    var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
    execv("/proc/self/exe", &cargs)
    // execv returns only on failure: carry on with the default settings.
  }

  /// The default thread count chosen at start under load (nil: all cores).
  static var freeCores: Int? { getenv("RDNAS_FREE_CORES").flatMap { Int(String(cString: $0)) } }

  /// The settings in effect, for benchmark and headless lines: rdnas's decisions, or the user's own settings.
  static var description: String {
    var spin = "default"
    if let d = getenv("RDNAS_OMP_SPIN") { spin = String(cString: d) }
    else if let s = getenv("GOMP_SPINCOUNT") { spin = "\(String(cString: s)) (GOMP_SPINCOUNT set by the user)" }
    else if let p = getenv("OMP_WAIT_POLICY") { spin = "OMP_WAIT_POLICY=\(String(cString: p)) (set by the user)" }
    guard let free = freeCores else { return spin }
    let why = getenv("RDNAS_FREE_CORES_REASON").map { String(cString: $0) } ?? "load at start"
    return spin + "; default threads \(free) (\(why))"
  }
}

struct RDNAS: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rdnas",
    abstract: "One-shot NAS with ranking distillation from zero-cost proxies.",
    discussion: """
      A session:
        rdnas train --name rd --proxy flops            # train a supernet with ranking distillation, watched live
        rdnas sample --space resnet --count 50 --out candidates.json
        rdnas eval --run runs/rd --archs candidates.json --out rd-eval.json
        rdnas rank rd-eval.json ground-truth.json      # compare two rankings
      `rdnas <command> --help` lists that command's options.
      """,
    version: "rdnas \(BuildInfo.description)",
    subcommands: [Train.self, MonitorRun.self, Eval.self, Rank.self, Ensemble.self, Proxy.self, Sample.self, Split.self, Merge.self, SearchCommand.self, Export.self, Standalone.self, Demo.self, Bench.self])
}

/// Options every compute command shares.
struct ComputeOptions: ParsableArguments {
  @Option(help: "Threads for oneDNN (default: all cores, or those other work leaves free at start; under mpirun, the cores shared by the node's ranks).")
  var threads: Int?

  @Option(help: "Convolution precision: auto | fp32 | bf16 (bf16: bf16 activations and weights, fp32 masters, BN and loss; auto: bf16 only where a short measurement on this CPU finds it faster, cached in ~/.cache/rdnas).")
  var precision: PrecisionChoice = .auto

  /// Sets the threads; returns a fixed precision's decision, or nil for `auto` (the caller measures its own
  /// network: see `autoPrecision`). The caller passes `decision.precision` to what it computes.
  @discardableResult
  func applyThreads() -> PrecisionDecision? {
    // Ranks busy-wait in collectives: ranks × threads above the core count makes them fight for cores.
    // Under load at start, the default is the cores other work left free (OpenMPEnvironment).
    DNNL.setThreads(threads ?? OpenMPEnvironment.freeCores ?? max(1, ProcessInfo.processInfo.activeProcessorCount / World.ranksOnThisNode))
    guard let fixed = Precision(rawValue: precision.rawValue) else { return nil }
    let decision = PrecisionDecision.fixed(fixed)
    if decision.precision != fixed { FileHandle.standardError.write(Data("rdnas: \(decision.reason)\n".utf8)) }
    return decision
  }

  /// `--precision auto` measuring with notes (a corrupt or unwritable cache) on stderr.
  var autoPrecision: AutoPrecision {
    AutoPrecision(note: { FileHandle.standardError.write(Data("rdnas: note: \($0)\n".utf8)) })
  }

  /// Threads and precision for commands without one network of their own: `auto` times the engine's 3×3
  /// convolution case (cached per CPU and thread count).
  @discardableResult
  func apply() throws -> PrecisionDecision {
    if let fixed = applyThreads() { return fixed }
    return try autoPrecision.decide(threads: DNNL.threads) { ConvolutionProbe() }
  }
}

/// Runs a command body, turning every error into one line on stderr and the documented exit code
/// (2 for bad input, 1 for failures) instead of a stack trace or a Swift dump. In an MPI job of several
/// ranks the line names the rank and the whole job is aborted: the other ranks would otherwise wait forever
/// for this one in their next collective.
func runReportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let e as ExitCode {
    if e.rawValue != 0 { abortJobIfParallel(message: "exit code \(e.rawValue)", code: e.rawValue) }
    throw e
  } catch {
    let (message, code) = ErrorReport.describe(error)
    abortJobIfParallel(message: message, code: code)
    FileHandle.standardError.write(Data("rdnas: error: \(message)\n".utf8))
    throw ExitCode(code)
  }
}

private func abortJobIfParallel(message: String, code: Int32) {
  guard World.launchedByMPIRun else { return }
  let world = World.collective
  guard world.size > 1 else { return }
  FileHandle.standardError.write(Data("rdnas: error: rank \(world.rank) of \(world.size): \(message)\n".utf8))
  world.abort(code: code)
}
extension Precision: ExpressibleByArgument {}
extension PrecisionChoice: ExpressibleByArgument {}
