import Common
import Engine
import Foundation
import Search
import XCTest

@testable import Ranking

final class ProxyGradientTests: ProxyTestCase {
  let w: [Float] = [0.5, -1, 0.25, 2, -0.75, 1, 0.3, -0.2, 0.1, -0.4, 0.8, 0.6]  // 3 classes × 4 features
  let b: [Float] = [0.1, -0.2, 0.05]
  let x: [Float] = [1, -2, 0.5, 3, -1, 2, 1.5, 0.25, 0.7, 0.1, -0.3, 2]  // 3 samples × 4 features
  let labels: [Int32] = [2, 0, 1]

  /// ∂(mean CE)/∂W = (1/n) Σ_b (softmax(z_b) − onehot_b) · relu(x_b)ᵀ, in Float64.
  func handGradient() -> [Double] {
    var g = [Double](repeating: 0, count: 12)
    for s in 0..<3 {
      let h = (0..<4).map { max(0, Double(x[s * 4 + $0])) }
      let z = (0..<3).map { k in Double(b[k]) + (0..<4).reduce(0.0) { $0 + Double(w[k * 4 + $1]) * h[$1] } }
      let m = z.max()!
      let e = z.map { exp($0 - m) }
      let sum = e.reduce(0, +)
      for k in 0..<3 {
        let d = e[k] / sum - (Int32(k) == labels[s] ? 1 : 0)
        for j in 0..<4 { g[k * 4 + j] += d * h[j] / 3 }
      }
    }
    return g
  }

  func makeNet() throws -> ProxyTinyLinearNet {
    try ProxyTinyLinearNet(features: 4, classes: 3, weights: w, bias: b)
  }

  func batch() throws -> ProxyBatch { try ProxyBatch(shape: Shape(3, 4, 1, 1), values: x, labels: labels) }

  func testGradNormOfALinearLayer() throws {
    let expected = handGradient().reduce(0) { $0 + $1 * $1 }.squareRoot()
    let got = try GradNorm().score(net: try makeNet(), arch: Encoding(digits: []), batch: try batch(), seed: 0)
    XCTAssertEqual(got, expected, accuracy: 1e-6 * expected)
  }

  func testSNIPOfALinearLayer() throws {
    let g = handGradient()
    let expected = (0..<12).reduce(0.0) { $0 + abs(Double(w[$1]) * g[$1]) }
    let got = try SNIP().score(net: try makeNet(), arch: Encoding(digits: []), batch: try batch(), seed: 0)
    XCTAssertEqual(got, expected, accuracy: 1e-6 * expected)
  }

  /// Scoring twice on one net gives the same value (gradients are cleared, not accumulated).
  func testRepeatedScoringDoesNotAccumulate() throws {
    let net = try makeNet()
    let first = try SNIP().score(net: net, arch: Encoding(digits: []), batch: try batch(), seed: 0)
    XCTAssertEqual(try SNIP().score(net: net, arch: Encoding(digits: []), batch: try batch(), seed: 0), first)
  }

  func testDeterministicOnAnNB201Cell() throws {
    let space = try proxySmallNB201()
    let data = try ProxyBatch.gaussian(count: 8, channels: 3, size: 8, classes: 10, seed: 5)
    let arch = try space.parse("243131")
    for proxy in [GradNorm() as any ZeroCostProxy, SNIP()] {
      let a = try proxy.score(arch: arch, space: space, batch: data, seed: 4)
      XCTAssertEqual(a, try proxy.score(arch: arch, space: space, batch: data, seed: 4), proxy.name)
      XCTAssertNotEqual(a, try proxy.score(arch: arch, space: space, batch: data, seed: 5), proxy.name)
      XCTAssertGreaterThan(a, 0)
    }
  }
}
