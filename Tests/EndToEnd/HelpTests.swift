import XCTest
import Foundation

/// Each command's --help lists exactly the options that command accepts (a snapshot of the interface: an
/// option added to a shared group shows up here as a diff), starts with an example, and `--version` names
/// the commit.
final class HelpTests: XCTestCase {
  static let expected: [String: Set<String>] = {
    let space = ["--space", "--base-channels", "--channel-divisor", "--competition-widths", "--nb201-c", "--nb201-n"]
    let compute = ["--threads", "--precision"]
    let data = ["--dataset", "--data", "--validation-size", "--train-limit"]
    let optimizer = ["--epochs", "--batch-size", "--lr", "--warmup", "--schedule", "--weight-decay", "--momentum",
                     "--no-nesterov"]
    let ui = ["--theme", "--no-color", "--ascii", "--no-mouse", "--fps"]
    return [
      "train": Set(space + compute + data + optimizer + ui + [
        "--name", "--runs-dir", "--log-every", "--checkpoint-every", "--keep-checkpoints", "--resume", "--headless",
        "--activation", "--strategy", "--paths", "--distillation", "--clip-norm", "--init-from", "--branch-from", "--seed",
        "--proxy", "--pairs", "--lambda-schedule", "--lambda-max", "--margin", "--symmetric", "--min-distance",
        "--weighted-distance", "--gt", "--gt-column", "--landmarks", "--eval-every", "--eval-every-steps",
        "--eval-images", "--score-by", "--ranks", "--monitor", "--on-hangup", "--rank-every", "--rank-from", "--rank-pool",
        "--pair-task-weight", "--min-prior-gap"]),
      "monitor": Set(ui),
      "eval": Set(compute + ["--run", "--checkpoint", "--archs", "--out", "--shard", "--bn-recalibrate", "--images",
                             "--batch-size", "--nb201-index"]),
      "rank": ["--column-a", "--column-b", "--versus", "--column-versus", "--resamples", "--seed", "--svg", "--json", "--no-plot", "--ascii"],
      "proxy": Set(space + compute + data + ["--proxies", "--archs", "--all", "--batch-images", "--swap-repeats", "--swap-samples", "--out", "--seed"]),
      "sample": Set(space + ["--count", "--stratify-flops", "--out", "--seed"]),
      "ensemble": ["--weights", "--out", "--fit-on", "--gt", "--fit-step"],
      "search": Set(compute + ["--run", "--name", "--top", "--method", "--generations", "--population", "--parents",
                               "--mutation-rate", "--seed", "--prefilter", "--prefilter-factor", "--flops-max", "--flops-min", "--params-max", "--params-min",
                               "--checkpoint", "--score-by", "--bn-recalibrate", "--images", "--batch-size"]
                               + ui + ["--monitor", "--headless"]),
      "export": Set(compute + ["--run", "--checkpoint", "--arch", "--out", "--bn-recalibrate", "--images", "--batch-size", "--onnx"]),
      "split": ["--archs", "--shards", "--out-dir"],
      "merge": ["--out"],
      "standalone": Set(space + compute + optimizer + ["--dataset", "--data", "--train-limit", "--activation", "--archs", "--init-from",
                                                       "--out", "--shard", "--save-weights", "--seed", "--eval-at"]),
      "demo": Set(compute + ["--epochs", "--batch-size", "--lr", "--seed", "--data"]),
      "bench": Set(compute + ["--reps", "--what", "--batch", "--pairs", "--profile"]),
    ]
  }()

  /// The long options a help text offers: the first `--name` of each option line (not mentions in prose).
  func offeredOptions(_ help: String) -> Set<String> {
    var out = Set<String>()
    for line in help.split(separator: "\n") {
      let t = line.drop { $0 == " " }
      guard line.hasPrefix("  "), !line.hasPrefix("                 "),
            let r = t.range(of: #"^(-[a-z], )?--[a-z0-9-]+"#, options: .regularExpression) else { continue }
      out.insert(String(t[r].split(separator: " ").last!))
    }
    return out.subtracting(["--help", "--version"])
  }

  func testEachCommandOffersOnlyItsOwnOptions() throws {
    for (command, options) in Self.expected {
      let (status, help) = try runRDNAS([command, "--help"])
      XCTAssertEqual(status, 0, help)
      let offered = offeredOptions(help)
      XCTAssertEqual(offered.subtracting(options), [], "\(command) offers options it should not")
      XCTAssertEqual(options.subtracting(offered), [], "\(command) lacks options")
      let usage = try XCTUnwrap(help.range(of: "USAGE: rdnas \(command) "), "\(command): no example usage\n\(help)")
      XCTAssertFalse(help[usage.upperBound...].hasPrefix("["), "\(command): usage is the generic synopsis, not an example")
    }
  }

  func testProxyHelpSaysNothingOfTraining() throws {
    let (_, help) = try runRDNAS(["proxy", "--help"])
    for word in ["--strategy", "--paths", "--distillation", "--lambda", "--epochs", "--name", "--resume"] {
      XCTAssertFalse(help.contains(word), "rdnas proxy --help mentions \(word)")
    }
    // Training options are refused, not silently ignored.
    let (status, out) = try runRDNAS(["proxy", "--all", "--space", "nb201", "--out", "/dev/null", "--strategy", "spos"])
    XCTAssertEqual(status, 2, out)  // bad input
    XCTAssertTrue(out.hasPrefix("rdnas: error: ") && out.contains("--strategy"), out)
    XCTAssertEqual(out.split(separator: "\n").count, 1, out)
  }

  func testVersionNamesTheCommit() throws {
    let (status, out) = try runRDNAS(["--version"])
    XCTAssertEqual(status, 0)
    XCTAssertNotNil(out.range(of: #"^rdnas \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}(-dirty)?|unknown)\)\n$"#,
                              options: .regularExpression), out)
  }
}
