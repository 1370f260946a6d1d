import XCTest
import Foundation
import Data

/// (c) `mpirun -np 2 rdnas eval` and `proxy` write byte-identical files to one process.
final class ShardedEvaluationTests: XCTestCase {
  func testEvalAndProxyWithTwoRanksMatchOneProcessByteForByte() throws {
    guard FileManager.default.fileExists(atPath: DatasetLoader.defaultFashionMNISTDirectory) else {
      throw XCTSkip("Fashion-MNIST not installed")
    }
    _ = try MPI.mpirun()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-eval-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let train = try MPI.run(ranks: 0, ["train", "--headless", "--runs-dir", dir, "--name", "net", "--space", "nb201",
                                       "--nb201-c", "4", "--nb201-n", "1", "--train-limit", "128", "--validation-size", "200",
                                       "--batch-size", "32", "--epochs", "1", "--strategy", "spos", "--paths", "1",
                                       "--threads", "1"])
    XCTAssertEqual(train.status, 0, train.output)
    let cands = dir + "/cands.json"
    let sample = try MPI.run(ranks: 0, ["sample", "--space", "nb201", "--count", "7", "--out", cands])
    XCTAssertEqual(sample.status, 0, sample.output)
    func eval(_ ranks: Int, _ extra: [String] = []) throws -> Data {
      let tag = extra.joined(separator: "_").replacingOccurrences(of: "/", with: "of")
      let out = "\(dir)/scores-\(ranks)-\(tag).json"
      let r = try MPI.run(ranks: ranks, ["eval", "--run", dir + "/net", "--archs", cands, "--out", out, "--images", "100",
                                         "--threads", "1"] + extra)
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
                                         "--out", out, "--threads", "1"])
      XCTAssertEqual(r.status, 0, r.output)
      return try Data(contentsOf: URL(fileURLWithPath: out))
    }
    XCTAssertEqual(try proxy(2), try proxy(0))
  }
}
