import ArgumentParser
import Common
import Engine
import Foundation

@main
struct RDNAS: ParsableCommand {
  static let version = "0.1.0"
  static let configuration = CommandConfiguration(
    commandName: "rdnas",
    abstract: "One-shot NAS with ranking distillation from zero-cost proxies.",
    version: version,
    subcommands: [Train.self, MonitorRun.self, Eval.self, Rank.self, Proxy.self, Sample.self, Split.self, Merge.self, Standalone.self, Demo.self, Bench.self])
}

/// Options every compute command shares.
struct ComputeOptions: ParsableArguments {
  @Option(help: "Threads for oneDNN (default: all cores).")
  var threads: Int?

  func apply() {
    DNNL.setThreads(threads ?? ProcessInfo.processInfo.activeProcessorCount)
  }
}

/// Runs a command body, turning rdnas errors into one line on stderr and the documented exit code
/// (2 for bad input, 1 for failures) instead of a stack trace.
func runReportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let e as RDNASError {
    FileHandle.standardError.write(Data("rdnas: error: \(e.description)\n".utf8))
    throw ExitCode(e.exitCode)
  }
}
