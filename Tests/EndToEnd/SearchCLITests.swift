import XCTest
import Foundation
import Engine

/// `rdnas search` on a tiny trained NB201 supernet: outputs, the log, a resume that continues the same search
/// without re-scoring, and bounds that nothing meets as one line with exit code 2.
final class SearchCLITests: XCTestCase {
  var dir = ""

  override func setUpWithError() throws {
    guard FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist") else { throw XCTSkip("no Fashion-MNIST") }
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-search-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

  func lines(_ path: String) throws -> [[String: Any]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
  }

  func testSearchWritesTopParetoAndLogAndResumes() throws {
    var (s, out) = try runRDNAS(["train", "--headless", "--name", "sup", "--runs-dir", dir, "--strategy", "spos",
                                 "--paths", "1", "--space", "nb201", "--nb201-c", "4", "--nb201-n", "1",
                                 "--train-limit", "256", "--validation-size", "100", "--batch-size", "32",
                                 "--epochs", "1", "--threads", "1", "--precision", "fp32"])
    XCTAssertEqual(s, 0, out)
    let run = dir + "/sup"
    let search = ["search", "--run", run, "--population", "4", "--parents", "2", "--images", "64",
                  "--bn-recalibrate", "1", "--batch-size", "64", "--top", "3", "--threads", "1", "--precision", "fp32"]
    let bounded = search + ["--flops-max", "2M"]
    (s, out) = try runRDNAS(bounded + ["--generations", "2"])
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("generation 2/2"), out)
    let folder = run + "/search/evolution"
    let top = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/top.json")))
      as! [String: [String: Any]]
    XCTAssertEqual(Set(top.keys), ["arch1", "arch2", "arch3"])
    for entry in top.values {
      XCTAssertNotNil(entry["acc"] as? Double)
      XCTAssertLessThanOrEqual(entry["flops"] as! Double, 2e6)
    }
    XCTAssertTrue(try String(contentsOfFile: folder + "/pareto.svg", encoding: .utf8).hasPrefix("<?xml"))
    var events = try lines(folder + "/events.jsonl")
    XCTAssertEqual(events.map { $0["event"] as! String },
                   ["started"] + Array(repeating: "scored", count: 4) + Array(repeating: "candidate", count: 4) + ["generation"]
                   + Array(repeating: "scored", count: 4) + Array(repeating: "candidate", count: 4) + ["generation", "finished"])
    // Each `scored` line (written as the candidate is scored) is repeated by its generation's `candidate` line.
    let scoredLines = events.filter { $0["event"] as? String == "scored" }.map { $0["arch"] as! String }
    XCTAssertEqual(scoredLines, events.filter { $0["event"] as? String == "candidate" }.map { $0["arch"] as! String })

    // Two more generations: the state is picked up and only new codes are scored.
    (s, out) = try runRDNAS(bounded + ["--generations", "4"])
    XCTAssertEqual(s, 0, out)
    XCTAssertTrue(out.contains("resuming"), out)
    XCTAssertTrue(out.contains("generation 4/4"), out)
    events = try lines(folder + "/events.jsonl")
    let scored = events.filter { $0["event"] as? String == "candidate" }.map { $0["arch"] as! String }
    XCTAssertEqual(scored.count, 16)
    XCTAssertEqual(Set(scored).count, 16, "an architecture was scored twice")
    XCTAssertEqual(events.filter { $0["event"] as? String == "generation" }.map { $0["generation"] as! Int }, [0, 1, 2, 3])

    // --score-by loss maximises −(validation loss); top.json keeps the accuracy in acc.
    (s, out) = try runRDNAS(search + ["--generations", "1", "--score-by", "loss", "--name", "byloss"])
    XCTAssertEqual(s, 0, out)
    let byLoss = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/search/byloss/top.json")))
      as! [String: [String: Any]]
    let losses = (1...3).map { byLoss["arch\($0)"]!["loss"] as! Double }
    XCTAssertEqual(losses, losses.sorted(), "best first = lowest loss first")
    XCTAssertEqual(byLoss["arch1"]!["score"] as! Double, -losses[0])

    // The best candidate exported with the same recalibration and images scores what the search recorded.
    let best = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/top.json")))
      as! [String: [String: Any]]
    let arch = best["arch1"]!["arch"] as! String
    (s, out) = try runRDNAS(["export", "--run", run, "--arch", arch, "--out", dir + "/best", "--bn-recalibrate", "1",
                             "--images", "64", "--threads", "1", "--precision", "fp32", "--onnx"])
    XCTAssertEqual(s, 0, out)
    let onnxSize = (try FileManager.default.attributesOfItem(atPath: dir + "/best/model.onnx")[.size] as? Int) ?? 0
    XCTAssertGreaterThan(onnxSize, 1000, "--onnx wrote the ONNX file next to the safetensors")
    let url = URL(fileURLWithPath: dir + "/best/model.safetensors")
    let (_, metadata) = try SafeTensors.read(path: url.path)
    XCTAssertEqual(metadata["space"], "nb201")
    XCTAssertEqual(metadata["input_shape"], "[1,1,28,28]")
    XCTAssertEqual(metadata["validation_images"], "64")
    XCTAssertEqual(Double(metadata["validation_accuracy"]!)!, best["arch1"]!["acc"] as! Double, accuracy: 1e-9)
    XCTAssertEqual(Double(metadata["validation_loss"]!)!, best["arch1"]!["loss"] as! Double, accuracy: 1e-4)
    // Fine-tuning the export: test accuracy before and after, and a fine-tuned export that differs.
    (s, out) = try runRDNAS(["standalone", "--init-from", dir + "/best", "--out", dir + "/ft.json", "--epochs", "1",
                             "--batch-size", "32", "--train-limit", "256", "--lr", "0.02", "--threads", "1",
                             "--save-weights", dir + "/ft"])
    XCTAssertEqual(s, 0, out)
    let ft = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/ft.json")))
      as! [String: [String: Any]]
    XCTAssertEqual(ft["arch1"]?["arch"] as? String, arch)
    XCTAssertNotNil(ft["arch1"]?["acc_before"] as? Double)
    let (tuned, tunedMetadata) = try SafeTensors.read(path: dir + "/ft/model.safetensors")
    let (exported, _) = try SafeTensors.read(path: url.path)
    XCTAssertEqual(Set(tuned.keys), Set(exported.keys))
    XCTAssertNotEqual(tuned["classifier.weight"], exported["classifier.weight"], "fine-tuning changed the weights")
    XCTAssertEqual(tunedMetadata["fine_tuned_epochs"], "1")
    (s, out) = try runRDNAS(["standalone", "--init-from", dir + "/best", "--archs", dir + "/x.json", "--out", dir + "/x"])
    XCTAssertEqual(s, 2, out)
    (s, out) = try runRDNAS(["standalone", "--init-from", dir + "/best", "--dataset", "cifar10", "--out", dir + "/x"])
    XCTAssertEqual(s, 2, out)

    (s, out) = try runRDNAS(["export", "--run", run, "--arch", "12345", "--out", dir + "/bad"])
    XCTAssertEqual(s, 2, out)
    XCTAssertEqual(out.split(separator: "\n").count, 1, out)

    // Other settings under the same name, and bounds nothing meets: one line, exit 2.
    for args in [bounded + ["--generations", "4", "--seed", "7"], search + ["--name", "x", "--flops-max", "1k"],
                 search + ["--name", "y", "--params-min", "5M", "--params-max", "1M"]] {
      (s, out) = try runRDNAS(args)
      XCTAssertEqual(s, 2, "\(args): \(out)")
      XCTAssertEqual(out.split(separator: "\n").count, 1, out)
      XCTAssertTrue(out.hasPrefix("rdnas: error: "), out)
    }
  }
}
