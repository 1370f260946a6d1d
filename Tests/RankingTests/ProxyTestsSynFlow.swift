import Common
import Engine
import Foundation
import Search
import Supernet
import XCTest

@testable import Ranking

final class ProxySynFlowTests: ProxyTestCase {
  /// One linear layer on an all-ones input: ∂R/∂W_kj = 1, so SynFlow = Σ|W| (the bias gets no credit).
  func testHandValueOnALinearLayer() throws {
    let w: [Float] = [0.5, -2, 1.5, -0.25, 3, -1]
    let net = try ProxyTinyLinearNet(features: 3, classes: 2, weights: w, bias: [7, -9])
    let value = try SynFlow().score(net: net, arch: Encoding(digits: []), batch: nil, seed: 0)
    XCTAssertEqual(value, log(w.reduce(0) { $0 + Double(abs($1)) }), accuracy: 1e-6)
  }

  /// The log-rescale trick equals the plain float32 computation where the latter does not overflow.
  func testRescaleTrickEqualsDirectValue() throws {
    let space = try proxySmallNB201(C: 4, N: 2)
    for text in ["334131", "333333", "121212", "141414", "302010"] {
      let arch = try space.parse(text)
      let trick = try SynFlow(rescaleBlocks: true).score(arch: arch, space: space, batch: nil, seed: 5)
      let direct = try SynFlow(rescaleBlocks: false).score(arch: arch, space: space, batch: nil, seed: 5)
      XCTAssertEqual(trick, direct, accuracy: 1e-4, "cell \(text)")
    }
  }

  /// A BN-free network on |θ| is linear in its input: scaling the input by c scales SynFlow by c.
  func testInputScalingScalesTheScore() throws {
    let space = try proxySmallNB201(C: 4, N: 1)
    let arch = try space.parse("334131")
    for rescale in [true, false] {
      let one = try SynFlow(rescaleBlocks: rescale, inputValue: 1).score(arch: arch, space: space, batch: nil, seed: 1)
      let three = try SynFlow(rescaleBlocks: rescale, inputValue: 3).score(arch: arch, space: space, batch: nil, seed: 1)
      XCTAssertEqual(three - one, log(3), accuracy: 1e-5, "rescale \(rescale)")
    }
  }

  /// Only |θ| enters: flipping the signs of weights leaves the score unchanged.
  func testWeightSignsAreIrrelevant() throws {
    let space = try proxySmallNB201(C: 4, N: 1)
    let arch = try space.parse("233141")
    let plain = NB201Supernet(space: space, seed: 2, standalone: arch)
    let flipped = NB201Supernet(space: space, seed: 2, standalone: arch)
    for (k, p) in flipped.store.all.enumerated() where p.kind != .buffer {
      for i in stride(from: k % 2, to: p.count, by: 2) { p.value[i] = -p.value[i] }
    }
    let a = try SynFlow().score(net: plain, arch: arch, batch: nil, seed: 0)
    let b = try SynFlow().score(net: flipped, arch: arch, batch: nil, seed: 0)
    XCTAssertEqual(a, b)
  }

  /// The full-size network overflows float32 without the trick; with it the value is finite.
  func testDeepNetworkNeedsTheTrick() throws {
    let space = NB201Space()
    let arch = space.largest
    let value = try SynFlow().score(arch: arch, space: space, batch: nil, seed: 0)
    XCTAssertGreaterThan(value, log(Double(Float.greatestFiniteMagnitude)))
    XCTAssertThrowsError(try SynFlow(rescaleBlocks: false).score(arch: arch, space: space, batch: nil, seed: 0))
  }

  /// A cell with no path from input to output makes the network constant: log 0 → `logZero`.
  func testDisconnectedCellScoresLogZero() throws {
    let space = try proxySmallNB201()
    XCTAssertEqual(try SynFlow().score(arch: space.smallest, space: space, batch: nil, seed: 0),
                   ZeroCostProxies.logZero)
  }

  func testDeterministicAndOrderedByWidth() throws {
    let space = try proxySmallNB201()
    let arch = try space.parse("313233")
    let a = try SynFlow().score(arch: arch, space: space, batch: nil, seed: 8)
    XCTAssertEqual(a, try SynFlow().score(arch: arch, space: space, batch: nil, seed: 8))
    XCTAssertNotEqual(a, try SynFlow().score(arch: arch, space: space, batch: nil, seed: 9))
    let wide = try proxySmallNB201(C: 8)
    XCTAssertGreaterThan(try SynFlow().score(arch: arch, space: wide, batch: nil, seed: 8), a)
  }
}
