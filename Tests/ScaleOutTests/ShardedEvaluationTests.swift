import XCTest
import Foundation
import Data

/// (c) `mpirun -np 2 rdnas eval` and `proxy` write byte-identical files to one process; `standalone` the
/// same scores.
final class ShardedEvaluationTests: XCTestCase {
  func testEvalProxyAndStandaloneWithTwoRanksMatchOneProcess() throws {
    guard FileManager.default.fileExists(atPath: DatasetLoader.defaultFashionMNISTDirectory) else {
      throw XCTSkip("Fashion-MNIST not installed")
    }
    _ = try MPI.mpirun()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-eval-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let train = try MPI.run(ranks: 0, ["train", "--headless", "--runs-dir", dir, "--name", "net", "--space", "nb201",
                                       "--nb201-c", "4", "--nb201-n", "1", "--train-limit", "128", "--validation-size", "200",
                                       "--batch-size", "32", "--epochs", "1", "--strategy", "spos", "--paths", "1",
                                       "--threads", "1", "--precision", "fp32"])
    XCTAssertEqual(train.status, 0, train.output)
    let cands = dir + "/cands.json"
    let sample = try MPI.run(ranks: 0, ["sample", "--space", "nb201", "--count", "7", "--out", cands])
    XCTAssertEqual(sample.status, 0, sample.output)
    func eval(_ ranks: Int, _ extra: [String] = []) throws -> Data {
      let tag = extra.joined(separator: "_").replacingOccurrences(of: "/", with: "of")
      let out = "\(dir)/scores-\(ranks)-\(tag).json"
      let r = try MPI.run(ranks: ranks, ["eval", "--run", dir + "/net", "--archs", cands, "--out", out, "--images", "100",
                                         "--threads", "1", "--precision", "fp32"] + extra)
      XCTAssertEqual(r.status, 0, r.output)
      return try Data(contentsOf: URL(fileURLWithPath: out))
    }
    let single = try eval(0)
    XCTAssertEqual(try eval(2), single)
    // 7 candidates over 2 ranks with BN recalibration (candidates must not depend on their predecessors).
    XCTAssertEqual(try eval(2, ["--bn-recalibrate", "2"]), try eval(0, ["--bn-recalibrate", "2"]))
    // A --shard of the list, itself split over the ranks.
    XCTAssertEqual(try eval(2, ["--shard", "1/2"]), try eval(0, ["--shard", "1/2"]))

    func proxy(_ ranks: Int) throws -> Data {
      let out = dir + "/proxy-\(ranks).csv"
      let r = try MPI.run(ranks: ranks, ["proxy", "--space", "nb201", "--archs", cands, "--proxies", "flops,synflow,snip",
                                         "--out", out, "--threads", "1", "--precision", "fp32"])
      XCTAssertEqual(r.status, 0, r.output)
      return try Data(contentsOf: URL(fileURLWithPath: out))
    }
    XCTAssertEqual(try proxy(2), try proxy(0))

    // Standalone training: the same accuracy and loss per candidate (only the recorded seconds differ).
    func standalone(_ ranks: Int) throws -> [String: [String: Any]] {
      let out = dir + "/standalone-\(ranks).json"
      let r = try MPI.run(ranks: ranks, ["standalone", "--space", "nb201", "--nb201-c", "4", "--nb201-n", "1",
                                         "--train-limit", "64", "--batch-size", "32", "--epochs", "1", "--archs", cands,
                                         "--out", out, "--threads", "1", "--precision", "fp32"])
      XCTAssertEqual(r.status, 0, r.output)
      let partials = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".partial") }
      XCTAssertEqual(partials, [], "partial files are removed once the output is written")
      let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
      return try XCTUnwrap(json as? [String: [String: Any]])
    }
    let one = try standalone(0), two = try standalone(2)
    XCTAssertEqual(Set(one.keys), Set(two.keys))
    XCTAssertEqual(one.count, 7)
    for (k, v) in one {
      XCTAssertEqual(v["acc"] as? Double, two[k]?["acc"] as? Double, k)
      XCTAssertEqual("\(v["loss"] ?? "")", "\(two[k]?["loss"] ?? "")", k)
    }
  }
}
