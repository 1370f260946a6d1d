import Common
import Engine
import Foundation
import Search
import XCTest
import RDNASTestSupport

@testable import Ranking

final class ProxyTestsSWAP: ProxyTestCase {
  /// Three samples, four units: sign patterns (bit s = sample s active) are 011, 110, 101 and 011 again,
  /// so 3 distinct rows; counted by hand.
  func testHandCountedPatterns() throws {
    let net = try ProxyTinyLinearNet(features: 4, classes: 2, weights: [Float](repeating: 0.1, count: 8), bias: [0, 0])
    let batch = try ProxyBatch(shape: Shape(3, 4, 1, 1), values: [1, -1, 2, 3, 1, 1, -2, 2, -1, 1, 2, -1],
                               labels: [0, 1, 0])
    XCTAssertEqual(try SWAP().score(net: net, arch: Encoding(digits: []), batch: batch, seed: 0), 3)
    // Regularised: 10 parameters = 0.01 thousand; μ = 0, σ = 1 → × exp(−0.0001).
    let reg = SWAP(regulariser: (mu: 0, sigma: 1))
    XCTAssertEqual(try reg.score(net: net, arch: Encoding(digits: []), batch: batch, seed: 0), 3 * exp(-0.0001),
                   accuracy: 1e-12)
  }

  /// The bitset (≤ 16 samples) and the hashed set (17–64) count the same patterns as a naive Set of strings.
  func testPatternSetMatchesNaiveCount() {
    var rng = RandomSource(seed: 11)
    for samples in [3, 16, 20] {
      let set = ActivationPatternSet(samples: samples)
      var naive = Set<String>()
      for units in [70, 5, 64] {
        // Few distinct values per unit so that patterns repeat.
        let x = (0..<(samples * units)).map { _ in Float(rng.uniform(below: 3)) - 1.5 + 0.5 }
        x.withUnsafeBufferPointer { set.add($0.baseAddress!, count: x.count) }
        for u in 0..<units { naive.insert(String((0..<samples).map { x[$0 * units + u] > 0 ? "1" : "0" })) }
      }
      XCTAssertEqual(set.distinct, naive.count, "samples \(samples)")
      XCTAssertEqual(set.neurons, 70 + 5 + 64)
    }
  }

  /// A batch larger than 16 is cut to the paper's 16 samples, so at most 2¹⁶ patterns; deterministic per seed.
  func testNB201CellUsesSixteenSamples() throws {
    let space = try proxySmallNB201()
    let batch = try ProxyBatch.gaussian(count: 32, channels: 3, size: 8, classes: 10, seed: 1)
    let arch = try space.parse("334131")
    let a = try SWAP(repeats: 2).score(arch: arch, space: space, batch: batch, seed: 3)
    XCTAssertEqual(a, try SWAP(repeats: 2).score(arch: arch, space: space, batch: batch, seed: 3))
    XCTAssertTrue(a > 1 && a <= 65536)
    let first16 = try ProxyBatch(shape: Shape(16, 3, 8, 8), values: Array(batch.values[0..<(16 * 192)]),
                                 labels: Array(batch.labels[0..<16]))
    XCTAssertEqual(a, try SWAP(repeats: 2).score(arch: arch, space: space, batch: first16, seed: 3))
    assertThrowsRDNASError(.badInput, mentions: ["needs an input batch"]) { _ = try SWAP().score(arch: arch, space: space, batch: nil, seed: 0) }
    XCTAssertEqual(try ZeroCostProxies.make(name: "swapreg").name, "swapreg")
  }

  /// `samples` (`rdnas proxy --swap-samples`) sets the pattern columns: with 32 the whole batch counts (each
  /// neuron's row is longer, so at least as many distinct rows as with its first 16, here strictly more).
  func testSamplesWidensThePatterns() throws {
    let space = try proxySmallNB201()
    let batch = try ProxyBatch.gaussian(count: 32, channels: 3, size: 8, classes: 10, seed: 1)
    let arch = try space.parse("334131")
    var wide = SWAP(repeats: 1)
    wide.samples = 32
    let w = try wide.score(arch: arch, space: space, batch: batch, seed: 3)
    let n = try SWAP(repeats: 1).score(arch: arch, space: space, batch: batch, seed: 3)
    XCTAssertGreaterThan(w, n)
  }
}
