import Common
import Foundation
import Search
import XCTest

@testable import Training

final class PriorCacheTests: XCTestCase {
  private func space() throws -> NB201Space { try NB201Space(config: NB201Space.Config()) }

  /// The random-prior control: fixed per (architecture, seed), different across architectures and seeds,
  /// uniform enough that it carries no ordering by size.
  func testRandomPriorIsAFixedUniformDrawPerArchitecture() throws {
    let s = try space()
    let cache = PriorCache(space: s, seed: 5)
    var rng = RandomSource(seed: 1)
    let archs = (0..<2000).map { _ in s.sample(using: &rng) }
    let values = try archs.map { try cache.prior("random", $0) }
    XCTAssertEqual(values, try archs.map { try PriorCache(space: s, seed: 5).prior("random", $0) })
    XCTAssertNotEqual(values, try archs.map { try PriorCache(space: s, seed: 6).prior("random", $0) })
    XCTAssertTrue(values.allSatisfy { $0 >= 0 && $0 < 1 })
    let mean = values.reduce(0, +) / Double(values.count)
    XCTAssertEqual(mean, 0.5, accuracy: 0.03)
    // Deciles hold about a tenth each.
    for d in 0..<10 {
      let inDecile = values.filter { $0 >= Double(d) / 10 && $0 < Double(d + 1) / 10 }.count
      XCTAssertEqual(Double(inDecile) / Double(values.count), 0.1, accuracy: 0.03)
    }
    // No information about size: correlation with FLOPs is near zero.
    let flops = archs.map { s.flops($0) }
    let mf = flops.reduce(0, +) / Double(flops.count)
    let cov = zip(values, flops).map { ($0 - mean) * ($1 - mf) }.reduce(0, +)
    let sv = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +), sf = flops.map { ($0 - mf) * ($0 - mf) }.reduce(0, +)
    XCTAssertLessThan(abs(cov / (sv * sf).squareRoot()), 0.08)
  }

  /// A `file:` teacher reads a score table once; a missing architecture is one clear error.
  func testFilePriorReadsATable() throws {
    let s = try space()
    let a = try s.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|")
    let b = try s.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")
    let path = NSTemporaryDirectory() + "prior-\(UUID().uuidString).csv"
    try "arch,score\n\(s.format(a)),0.75\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let cache = PriorCache(space: s)
    XCTAssertEqual(try cache.prior("file:" + path, a), 0.75)
    XCTAssertThrowsError(try cache.prior("file:" + path, b)) { error in
      XCTAssertTrue("\(error)".contains("has no score for architecture"), "\(error)")
    }
  }

  /// The confident-pair sampler's quantile: the fraction of the table's scores strictly below an architecture's,
  /// over n − 1; `random` is its own quantile; a computed proxy has none.
  func testQuantileOfATableAndOfTheRandomTeacher() throws {
    let s = try space()
    var rng = RandomSource(seed: 3)
    var archs: [Encoding] = []
    while archs.count < 5 { let a = s.sample(using: &rng); if !archs.contains(a) { archs.append(a) } }
    let scores = [3.0, 1.0, 4.0, 1.0, 5.0]  // ascending: 1, 1, 3, 4, 5
    let path = NSTemporaryDirectory() + "quantile-\(UUID().uuidString).csv"
    try ("arch,score\n" + zip(archs, scores).map { "\(s.format($0)),\($1)" }.joined(separator: "\n") + "\n")
      .write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let cache = PriorCache(space: s, seed: 2)
    let q = try archs.map { try XCTUnwrap(try cache.quantile("file:" + path, $0)) }
    XCTAssertEqual(q, [0.5, 0, 0.75, 0, 1])
    let qr = try cache.quantile("random", archs[0])
    // Quantiles are looked up, not cached: a sampler's rejected candidates are not priors the run used.
    XCTAssertEqual(cache.misses + cache.hits, 0)
    XCTAssertEqual(qr, try cache.prior("random", archs[0]))
    XCTAssertEqual(cache.misses, 1)
    XCTAssertNil(try cache.quantile("flops", archs[0]))
  }
}
