import XCTest
import Foundation
import Data

/// `mpirun -np 2 rdnas search` splits each generation over the ranks and ends with the state one process
/// reaches: the same candidates, scores and random state.
final class ShardedSearchTests: XCTestCase {
  func testTwoRankSearchMatchesOneProcess() throws {
    guard FileManager.default.fileExists(atPath: DatasetLoader.defaultFashionMNISTDirectory) else {
      throw XCTSkip("Fashion-MNIST not installed")
    }
    _ = try MPI.mpirun()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-search-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let train = try MPI.run(ranks: 0, ["train", "--headless", "--runs-dir", dir, "--name", "net", "--space", "nb201",
                                       "--nb201-c", "4", "--nb201-n", "1", "--train-limit", "128", "--validation-size", "100",
                                       "--batch-size", "32", "--epochs", "1", "--strategy", "spos", "--paths", "1",
                                       "--threads", "1", "--precision", "fp32"])
    XCTAssertEqual(train.status, 0, train.output)
    func search(_ ranks: Int) throws -> [String: Any] {
      let r = try MPI.run(ranks: ranks, ["search", "--run", dir + "/net", "--name", "r\(ranks)", "--population", "5",
                                         "--generations", "3", "--images", "64", "--bn-recalibrate", "1", "--threads", "1",
                                         "--precision", "fp32"])
      XCTAssertEqual(r.status, 0, r.output)
      let state = try Data(contentsOf: URL(fileURLWithPath: dir + "/net/search/r\(ranks)/state.json"))
      return try JSONSerialization.jsonObject(with: state) as! [String: Any]
    }
    let one = try search(0), two = try search(2)
    let evaluated = try XCTUnwrap(one["evaluated"] as? [[String: Any]])
    XCTAssertEqual(evaluated.count, 15)
    XCTAssertEqual(NSArray(array: evaluated), NSArray(array: try XCTUnwrap(two["evaluated"] as? [[String: Any]])))
    XCTAssertEqual(one["rng"] as? NSDictionary, two["rng"] as? NSDictionary)
  }
}
