import XCTest
import Engine
import Foundation
import Training

/// The command-line front end on tiny configurations: standalone training (resumable), eval with shards, split and
/// merge, init-from a trained largest network, and one-line errors for bad input.
final class CLITests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist") else { throw XCTSkip("no Fashion-MNIST") }
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-cli-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  let tiny = ["--space", "nb201", "--nb201-c", "4", "--nb201-n", "1", "--train-limit", "320", "--validation-size", "200",
              "--batch-size", "32", "--epochs", "1", "--threads", "1"]
  /// Standalone training has no validation split, so it takes no --validation-size.
  var tinyStandalone: [String] { tiny.filter { $0 != "--validation-size" && $0 != "200" } }

  func json(_ path: String) throws -> [String: [String: Any]] {
    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: [String: Any]]
  }

  func testStandaloneWritesGroundTruthAndSkipsFinishedCandidatesOnRestart() throws {
    var (s, out) = try runRDNAS(["sample", "--space", "nb201", "--count", "3", "--out", dir + "/c.json"])
    XCTAssertEqual(s, 0, out)
    // A partial file as an interrupted run leaves it: arch2 already trained.
    try #"{"arch2": {"acc": 0.5, "arch": "\#(try json(dir + "/c.json")["arch2"]!["arch"]!)", "seconds": 1}}"#
      .write(toFile: dir + "/gt.json.partial.json", atomically: true, encoding: .utf8)
    (s, out) = try runRDNAS(["standalone", "--archs", dir + "/c.json", "--out", dir + "/gt.json"] + tinyStandalone)
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("resuming: 1 candidates already trained"), out)
    let gt = try json(dir + "/gt.json")
    XCTAssertEqual(Set(gt.keys), ["arch1", "arch2", "arch3"])
    XCTAssertEqual(gt["arch2"]!["acc"] as? Double, 0.5, "the finished candidate was kept, not retrained")
    for k in ["arch1", "arch3"] { XCTAssertNotNil(gt[k]!["epochs"], "\(k) carries its training record") }
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/gt.json.partial.json"))
  }

  /// SIGTERM mid-network saves that network's state (`<out>.checkpoints/<key>.safetensors`) and exits 130 with one
  /// line; the same command resumes it at the saved step and ends with the uninterrupted run's result. A torn
  /// checkpoint is one line naming it, exit 2.
  func testStandaloneStoppedBySignalResumesTheNetworkWhereItStood() throws {
    var (s, out) = try runRDNAS(["sample", "--space", "nb201", "--count", "1", "--out", dir + "/c.json"])
    XCTAssertEqual(s, 0, out)
    var args = tinyStandalone + ["--precision", "fp32"]
    args[args.firstIndex(of: "--epochs")! + 1] = "4"
    args[args.firstIndex(of: "--train-limit")! + 1] = "640"  // 20 steps an epoch, 80 in all
    func standalone(_ name: String) -> [String] { ["standalone", "--archs", dir + "/c.json", "--out", dir + "/\(name).json"] + args }
    (s, out) = try runRDNAS(standalone("whole"))
    XCTAssertEqual(s, 0, out)

    let checkpoint = dir + "/gt.json.checkpoints/arch1.safetensors"
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try rdnasBinary())
    p.arguments = standalone("gt")
    let pipe = Pipe()
    p.standardOutput = pipe; p.standardError = pipe
    try p.run()
    let deadline = Date().addingTimeInterval(120)
    while p.isRunning, !FileManager.default.fileExists(atPath: checkpoint), Date() < deadline { usleep(5_000) }
    XCTAssertTrue(p.isRunning, "finished before its first epoch-end checkpoint was seen")
    kill(p.processIdentifier, SIGTERM)
    out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 130, out)
    XCTAssertTrue(out.contains("stopped by a signal") && out.contains("rerun the same command"), out)
    XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint), "the stopped network's state was kept")
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/gt.json"))

    (s, out) = try runRDNAS(standalone("gt"))
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("arch1: resuming at step"), out)
    let whole = try json(dir + "/whole.json")["arch1"]!, resumed = try json(dir + "/gt.json")["arch1"]!
    XCTAssertEqual(resumed["acc"] as? Double, whole["acc"] as? Double, "a resumed network ends as an uninterrupted one")
    XCTAssertEqual(resumed["loss"] as? Double, whole["loss"] as? Double)
    let at = try XCTUnwrap(resumed["resumed_at_step"] as? [Int], "the record says where it resumed")
    XCTAssertEqual(at.count, 1)
    XCTAssertTrue((20..<80).contains(at[0]), "\(at)")
    XCTAssertNil(whole["resumed_at_step"])
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/gt.json.checkpoints"), "cleared once finished")

    try FileManager.default.createDirectory(atPath: dir + "/torn.json.checkpoints", withIntermediateDirectories: true)
    try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: dir + "/torn.json.checkpoints/arch1.safetensors"))
    (s, out) = try runRDNAS(standalone("torn"))
    XCTAssertEqual(s, 2, out)
    XCTAssertEqual(out.split(separator: "\n").count, 1, out)
    XCTAssertTrue(out.contains("torn.json.checkpoints/arch1.safetensors"), out)
  }

  /// --eval-at measures the candidates mid-schedule without changing the training: the final scores equal those of a
  /// run without it, and each listed epoch adds acc@e / loss@e. Epochs outside 1..<epochs are one line, exit 2.
  func testStandaloneEvalAtRecordsMidScheduleAccuracyWithoutChangingTheRun() throws {
    var (s, out) = try runRDNAS(["sample", "--space", "nb201", "--count", "2", "--out", dir + "/c.json"])
    XCTAssertEqual(s, 0, out)
    var twoEpochs = tinyStandalone
    twoEpochs[twoEpochs.firstIndex(of: "--epochs")! + 1] = "2"
    twoEpochs += ["--precision", "fp32"]
    (s, out) = try runRDNAS(["standalone", "--archs", dir + "/c.json", "--out", dir + "/plain.json"] + twoEpochs)
    XCTAssertEqual(s, 0, out)
    (s, out) = try runRDNAS(["standalone", "--archs", dir + "/c.json", "--out", dir + "/ladder.json", "--eval-at", "1"]
                            + twoEpochs)
    XCTAssertEqual(s, 0, out)
    let plain = try json(dir + "/plain.json"), ladder = try json(dir + "/ladder.json")
    for k in ["arch1", "arch2"] {
      XCTAssertEqual(plain[k]!["epochs"] as? Int, 2)
      XCTAssertEqual(plain[k]!["precision"] as? String, "fp32", "\(k): a ground truth names the precision it was trained in")
      XCTAssertEqual(ladder[k]!["acc"] as? Double, plain[k]!["acc"] as? Double, "\(k): measuring at epoch 1 moved the result")
      XCTAssertEqual(ladder[k]!["loss"] as? Double, plain[k]!["loss"] as? Double)
      let midway = try XCTUnwrap(ladder[k]!["acc@1"] as? Double, "\(k) has no acc@1")
      XCTAssertTrue((0...1).contains(midway))
      XCTAssertNotNil(ladder[k]!["loss@1"] as? Double)
      XCTAssertNil(plain[k]!["acc@1"])
    }
    for bad in ["2", "0", "1,x"] {
      (s, out) = try runRDNAS(["standalone", "--archs", dir + "/c.json", "--out", dir + "/bad.json", "--eval-at", bad]
                              + twoEpochs)
      XCTAssertEqual(s, 2, out)
      XCTAssertEqual(out.split(separator: "\n").count, 1, out)
      XCTAssertTrue(out.contains("--eval-at"), out)
    }
  }

  func testEvalShardsSplitMergeAndInitFrom() throws {
    var (s, out) = try runRDNAS(["train", "--headless", "--name", "sup", "--runs-dir", dir, "--strategy", "spos",
                                 "--paths", "1"] + tiny)
    XCTAssertEqual(s, 0, out)
    (s, out) = try runRDNAS(["sample", "--space", "nb201", "--count", "6", "--out", dir + "/c.json"])
    XCTAssertEqual(s, 0, out)
    (s, out) = try runRDNAS(["split", "--archs", dir + "/c.json", "--shards", "2", "--out-dir", dir + "/shards"])
    XCTAssertEqual(s, 0, out)
    for i in 0..<2 {
      (s, out) = try runRDNAS(["eval", "--run", dir + "/sup", "--archs", dir + "/c.json", "--shard", "\(i)/2",
                               "--out", dir + "/e\(i).json", "--images", "100", "--threads", "1", "--precision", "fp32"])
      XCTAssertEqual(s, 0, out)
    }
    (s, out) = try runRDNAS(["merge", dir + "/e0.json", dir + "/e1.json", "--out", dir + "/all.json"])
    XCTAssertEqual(s, 0, out)
    XCTAssertEqual(try json(dir + "/all.json").count, 6)
    // Overlapping shards are an error, not a silent merge.
    (s, out) = try runRDNAS(["merge", dir + "/e0.json", dir + "/e0.json", "--out", dir + "/dup.json"])
    XCTAssertEqual(s, 2, out)
    // --init-from takes a checkpoint of the same space's largest network.
    (s, out) = try runRDNAS(["train", "--headless", "--name", "warm", "--runs-dir", dir, "--strategy", "spos", "--paths", "1",
                             "--init-from", dir + "/sup/checkpoints/last.safetensors"] + tiny)
    XCTAssertEqual(s, 0, out)
    (s, out) = try runRDNAS(["train", "--headless", "--name", "bad", "--runs-dir", dir, "--init-from", dir + "/c.json"] + tiny)
    XCTAssertEqual(s, 2, out)
    XCTAssertTrue(out.contains("safetensors"), out)
  }

  /// A config.json of the wrong shape: one line naming the file and the key, exit 2.
  func testMalformedRunConfigNamesFileAndKey() throws {
    try FileManager.default.createDirectory(atPath: dir + "/r", withIntermediateDirectories: true)
    try #"{"name": "r", "epochs": "five"}"#.write(toFile: dir + "/r/config.json", atomically: true, encoding: .utf8)
    let (s, out) = try runRDNAS(["eval", "--run", dir + "/r", "--archs", "x.json", "--out", dir + "/o.json"])
    XCTAssertEqual(s, 2, out)
    XCTAssertEqual(out.split(separator: "\n").count, 1, out)
    XCTAssertTrue(out.hasPrefix("rdnas: error: \(dir)/r/config.json: "), out)
    XCTAssertTrue(out.contains("'epochs'") || out.contains("missing key"), out)
  }

  /// `rdnas train … | tee log`, nohup and batch jobs: no terminal on standard output means headless training,
  /// said once on stderr; only an explicit `--monitor` insists on a terminal.
  func testTrainWithOutputPipedRunsHeadless() throws {
    var (s, out) = try runRDNAS(["train", "--name", "piped", "--runs-dir", dir, "--strategy", "spos", "--paths", "1"] + tiny)
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("standard output is not a terminal: training headless"), out)
    XCTAssertTrue(out.contains("finished after 10 steps"), out)
    let log = try String(contentsOfFile: dir + "/piped/metrics.jsonl", encoding: .utf8)
    XCTAssertTrue(log.contains("\"type\":\"finished\""), log)
    (s, out) = try runRDNAS(["train", "--monitor", "--name", "insist", "--runs-dir", dir] + tiny)
    XCTAssertEqual(s, 2, out)
    XCTAssertTrue(out.contains("rdnas: error: no usable terminal (standard output is not a terminal); use --headless"), out)
    XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/insist/metrics.jsonl"), "fails before any work")
  }

  /// Zero-cost proxies score in fp32 everywhere: `rdnas proxy --precision bf16` says the flag has no effect
  /// there instead of ignoring it silently, and the scores equal the fp32 ones.
  func testProxyAnswersABF16RequestAndScoresInFP32() throws {
    var outputs: [String] = []
    for p in ["bf16", "fp32"] {
      let out = dir + "/proxy-\(p).csv"
      let (s, text) = try runRDNAS(["proxy", "--space", "nb201", "--nb201-c", "4", "--nb201-n", "1", "--proxies", "flops",
                                    "--all", "--out", out, "--precision", p, "--threads", "1"])
      XCTAssertEqual(s, 0, text)
      XCTAssertEqual(text.contains("zero-cost proxies are scored in fp32; --precision bf16 has no effect here"), p == "bf16", text)
      outputs.append(try String(contentsOfFile: out, encoding: .utf8))
    }
    XCTAssertEqual(outputs[0], outputs[1])
  }

  /// A run trained in bf16 and resumed where oneDNN offers no bf16 (capped here with ONEDNN_MAX_CPU_ISA, as a CPU
  /// without AVX512-BF16 or AMX would be) says so on stderr and goes on in fp32, instead of falling back silently.
  func testResumingABF16RunWithoutBF16SaysSoAndContinuesInFP32() throws {
    guard Precision.hardwareSupportsBF16 else { throw XCTSkip("this CPU cannot train the bf16 run to resume") }
    var (s, out) = try runRDNAS(["train", "--headless", "--name", "bf", "--runs-dir", dir, "--strategy", "spos",
                                 "--paths", "1", "--precision", "bf16"] + tiny)
    XCTAssertEqual(s, 0, out)
    var env = ProcessInfo.processInfo.environment
    env["ONEDNN_MAX_CPU_ISA"] = "AVX512_CORE"
    var longer = tiny
    longer[try XCTUnwrap(longer.firstIndex(of: "--epochs")) + 1] = "2"
    (s, out) = try runRDNAS(["train", "--headless", "--name", "bf", "--runs-dir", dir, "--strategy", "spos",
                             "--paths", "1", "--resume"] + longer, environment: env)
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("this run was trained in bf16"), out)
    XCTAssertTrue(out.contains("resuming in fp32"), out)
    XCTAssertTrue(out.contains("precision fp32"), out)
    XCTAssertTrue(out.contains("finished after 20 steps"), out)
  }

  /// The OpenMP settings are chosen at start and reported: with one thread there is nothing to decide, a spin the
  /// user set is kept, MPI ranks sharing a node get the short spin, and without --threads a busy core is left to the
  /// work that keeps it busy.
  func testOpenMPChoicesAreReported() throws {
    var env = ProcessInfo.processInfo.environment
    for k in ["GOMP_SPINCOUNT", "OMP_WAIT_POLICY", "OMP_NUM_THREADS", "RDNAS_REEXEC", "RDNAS_OMP_SPIN", "RDNAS_FREE_CORES"] {
      env[k] = nil
    }
    let bench = ["bench", "--what", "engine", "--reps", "1", "--precision", "fp32"]
    var (s, out) = try runRDNAS(bench + ["--threads", "1"], environment: env)
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("OpenMP spin: default (one thread, no team to wait on)"), out)
    guard ProcessInfo.processInfo.activeProcessorCount == 2 else { throw XCTSkip("the load cases assume 2 cores") }
    (s, out) = try runRDNAS(bench + ["--threads", "2"], environment: env)
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("OpenMP spin: default (libgomp's default)\n"), out)
    var user = env
    user["GOMP_SPINCOUNT"] = "77"
    (s, out) = try runRDNAS(bench + ["--threads", "2"], environment: user)
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("OpenMP spin: 77 (GOMP_SPINCOUNT set by the user)"), out)
    var mpi = env
    mpi["OMPI_COMM_WORLD_SIZE"] = "2"; mpi["OMPI_COMM_WORLD_LOCAL_SIZE"] = "2"
    (s, out) = try runRDNAS(bench + ["--threads", "2"], environment: mpi)
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("OpenMP spin: 10000 (2 MPI ranks share this node's cores)"), out)
    // A parent rdnas's decisions in the environment are not this process's.
    var child = env
    child["RDNAS_FREE_CORES"] = "1"; child["RDNAS_FREE_CORES_REASON"] = "a parent's"; child["RDNAS_OMP_SPIN"] = "a parent's"
    (s, out) = try runRDNAS(bench + ["--threads", "2"], environment: child)
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("OpenMP spin: default (libgomp's default)\n"), out)
    // One core kept busy by a shell loop: without --threads, the bench runs on the other one.
    let busy = Process()
    busy.executableURL = URL(fileURLWithPath: "/bin/sh")
    busy.arguments = ["-c", "while :; do :; done"]
    try busy.run()
    defer { busy.terminate(); busy.waitUntilExit() }
    Thread.sleep(forTimeInterval: 0.5)
    (s, out) = try runRDNAS(bench, environment: env)
    XCTAssertEqual(s, 0, out)
    XCTAssertNotNil(out.range(of: #"default threads 1 \([0-9.]+ of 2 cores busy at start\)"#, options: .regularExpression), out)
    XCTAssertTrue(out.contains("threads=1 "), out)
  }

  /// `--precision auto|fp32|bf16` are accepted; the choice and its reason lead the headless output and the
  /// `started` event; auto's measurement goes to $XDG_CACHE_HOME/rdnas/precision.json.
  func testPrecisionChoiceIsLoggedInHeadlessLineAndEvents() throws {
    var env = ProcessInfo.processInfo.environment
    env["XDG_CACHE_HOME"] = dir + "/cache"
    for choice in ["fp32", "bf16", "auto"] {
      let (s, out) = try runRDNAS(["train", "--headless", "--name", choice, "--runs-dir", dir, "--strategy", "spos",
                                   "--paths", "1", "--precision", choice] + tiny, environment: env)
      XCTAssertEqual(s, 0, out)
      let line = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("precision ") }, out)
      let log = try String(contentsOfFile: dir + "/\(choice)/metrics.jsonl", encoding: .utf8)
      if choice == "fp32" {
        XCTAssertEqual(line, "precision fp32: --precision fp32")
        XCTAssertTrue(log.contains("\"precision\":\"fp32\""), log)
        // The thread count and OpenMP settings are in the event too, and the headless line reads them from it.
        let threads = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("threads ") }, out)
        XCTAssertNotNil(threads.range(of: #"^threads [0-9]+; OpenMP spin: "#, options: .regularExpression), String(threads))
        XCTAssertNotNil(log.range(of: #""threads":[0-9]+"#, options: .regularExpression), log)
        XCTAssertTrue(log.contains("\"openmp\":\"" + threads.components(separatedBy: "OpenMP spin: ")[1]), log)
      } else if choice == "bf16" {  // falls back to fp32 (with a warning) where the CPU has no native bf16
        XCTAssertTrue(line == "precision bf16: --precision bf16" || line.contains("running in fp32"), String(line))
      } else {
        XCTAssertTrue(line.contains(": auto: "), String(line))
        XCTAssertTrue(log.contains("\"precision_reason\":\"auto: "), log)
        if line.contains("no native bf16") { continue }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/cache/rdnas/precision.json"))
        XCTAssertTrue(log.contains("\"precision_fp32_ms\""), log)
      }
    }
  }

  func testBadInputGivesOneLineErrorsAndExitCode2() throws {
    let cases: [[String]] = [
      ["eval", "--run", dir + "/missing", "--archs", "x.json", "--out", dir + "/o.json"],
      ["rank", dir + "/nothing.json", dir + "/nothing2.json"],
      ["train", "--headless", "--space", "nope", "--runs-dir", dir],
      ["train", "--headless", "--proxy", "flops", "--lambda-schedule", "sometimes", "--runs-dir", dir],
      ["train", "--headless", "--monitor", "--runs-dir", dir],
      ["proxy", "--proxies", "magic", "--all", "--space", "nb201", "--out", dir + "/p.csv"],
      ["proxy", "--proxies", "swap", "--all", "--space", "nb201", "--swap-samples", "65", "--out", dir + "/p.csv"],
      ["train", "--headless", "--checkpoint-every", "sometimes", "--runs-dir", dir],
      ["train", "--headless", "--keep-checkpoints", "0", "--runs-dir", dir],
      ["train", "--headless", "--precision", "fp16", "--runs-dir", dir],
    ]
    for args in cases {
      let (s, out) = try runRDNAS(args)
      XCTAssertEqual(s, 2, "\(args): \(out)")
      let lines = out.split(separator: "\n").filter { $0.hasPrefix("rdnas: error:") }
      XCTAssertEqual(lines.count, 1, "\(args): \(out)")
    }
  }

  /// `rdnas bench --profile` says how far a step is from its convolutions' limit, and its figures add up:
  /// forward + backward = the step's conv GFLOP, the limit is that over the micro-benchmark's rate, and the
  /// ratio compares it with the profiled step that the FLOPs were counted on.
  func testBenchProfileReportsTheConvolutionLimit() throws {
    let (s, out) = try runRDNAS(["bench", "--what", "nb201", "--profile", "--reps", "1", "--batch", "8", "--threads", "1",
                                 "--precision", "fp32"])
    XCTAssertEqual(s, 0, out)
    let line = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("conv_limit:") }, out)
    let numbers = line.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
    // total, fwd, bwd, conv ms, fwd ms, fwd rate, bwd ms, bwd rate, the "3x3" digits, micro rate, micro ms, ideal ms, …
    let (total, fwd, bwd) = (numbers[0], numbers[1], numbers[2])
    XCTAssertGreaterThan(fwd, 0, String(line))
    XCTAssertEqual(fwd + bwd, total, accuracy: 0.02, String(line))
    XCTAssertEqual(bwd, 2 * fwd, accuracy: 0.02, String(line))
    let rate = numbers[10], ideal = numbers[12]
    XCTAssertEqual(ideal, total / rate * 1000, accuracy: max(0.15, 0.04 * ideal), String(line))  // printed figures are rounded
    // The ratio is the profiled step (same paths as the FLOPs) over the ideal, not an unprofiled minimum.
    let profiled = numbers[13], ratio = numbers[14]
    XCTAssertEqual(ratio, profiled / ideal, accuracy: max(0.01, 0.03 * ratio), String(line))
  }
}
