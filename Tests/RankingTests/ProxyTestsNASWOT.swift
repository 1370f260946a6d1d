import Common
import Engine
import Foundation
import Search
import XCTest
import RDNASTestSupport

@testable import Ranking

final class ProxyNASWOTTests: ProxyTestCase {
  /// Codes 1010 and 1100 agree on 2 of 4 units: K = [[4, 2], [2, 4]], det = 12.
  func testHandBuiltBatchOfTwo() throws {
    let net = try ProxyTinyLinearNet(features: 4, classes: 2, weights: [Float](repeating: 0.1, count: 8), bias: [0, 0])
    let batch = try ProxyBatch(shape: Shape(2, 4, 1, 1), values: [1, -1, 2, -3, 1, 1, -2, -3], labels: [0, 1])
    let value = try NASWOT().score(net: net, arch: Encoding(digits: []), batch: batch, seed: 0)
    XCTAssertEqual(value, log(12), accuracy: 1e-12)
  }

  /// Identical samples make K singular: log 0 → `logZero`.
  func testIdenticalSamplesGiveLogZero() throws {
    let net = try ProxyTinyLinearNet(features: 2, classes: 2, weights: [1, 0, 0, 1], bias: [0, 0])
    let batch = try ProxyBatch(shape: Shape(2, 2, 1, 1), values: [1, -1, 1, -1], labels: [0, 1])
    XCTAssertEqual(try NASWOT().score(net: net, arch: Encoding(digits: []), batch: batch, seed: 0),
                   ZeroCostProxies.logZero)
  }

  /// Bit-packed agreement counts equal a naive count, across word boundaries and over several ReLUs.
  func testKernelMatchesNaiveCount() {
    var rng = RandomSource(seed: 6)
    let samples = 5
    let kernel = HammingKernel(samples: samples)
    var naive = [Double](repeating: 0, count: samples * samples)
    for units in [150, 64, 7] {
      let x = (0..<(samples * units)).map { _ in rng.nextGaussian() }
      x.withUnsafeBufferPointer { kernel.add($0.baseAddress!, count: x.count) }
      for i in 0..<samples {
        for j in 0..<samples {
          for u in 0..<units where (x[i * units + u] > 0) == (x[j * units + u] > 0) { naive[i * samples + j] += 1 }
        }
      }
    }
    XCTAssertEqual(kernel.matrix, naive)
  }

  func testLogDeterminantWithPivoting() {
    // det [[0, 2, 1], [1, 1, 0], [3, 0, 1]] = −5 (the zero first pivot forces a row swap).
    XCTAssertEqual(LogDeterminant.logAbsDet([0, 2, 1, 1, 1, 0, 3, 0, 1], n: 3), log(5), accuracy: 1e-12)
    XCTAssertEqual(LogDeterminant.logAbsDet([1, 2, 2, 4], n: 2), -.infinity)
    XCTAssertEqual(LogDeterminant.logAbsDet([2], n: 1), log(2), accuracy: 1e-15)
  }

  func testDeterministicOnAnNB201Cell() throws {
    let space = try proxySmallNB201()
    let batch = try ProxyBatch.gaussian(count: 16, channels: 3, size: 8, classes: 10, seed: 1)
    let arch = try space.parse("334131")
    let a = try NASWOT().score(arch: arch, space: space, batch: batch, seed: 3)
    XCTAssertEqual(a, try NASWOT().score(arch: arch, space: space, batch: batch, seed: 3))
    XCTAssertTrue(a.isFinite && a > 0)
    assertThrowsRDNASError(.badInput, mentions: ["at least 2 samples"]) {
      let one = try ProxyBatch.gaussian(count: 1, channels: 3, size: 8, classes: 10, seed: 1)
      _ = try NASWOT().score(arch: arch, space: space, batch: one, seed: 3)
    }
  }
}
