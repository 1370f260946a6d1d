import Common
import Engine
import Search
import XCTest
import RDNASTestSupport

@testable import Ranking

final class ProxyRegistryTests: ProxyTestCase {
  func testEveryNameMakesItsProxy() throws {
    for name in ZeroCostProxies.names {
      XCTAssertEqual(try ZeroCostProxies.make(name: name).name, name)
    }
    XCTAssertEqual(try ZeroCostProxies.make(name: " SynFlow ").name, "synflow")
    XCTAssertEqual(try ZeroCostProxies.make(list: "zen, naswot").map(\.name), ["zen", "naswot"])
  }

  func testDataDependence() throws {
    let dependent = try ZeroCostProxies.names.filter { try ZeroCostProxies.isDataDependent($0) }
    XCTAssertEqual(dependent, ["naswot", "swap", "swapreg", "gradnorm", "snip"])
  }

  func testUnknownNameListsTheKnownOnes() {
    assertThrowsRDNASError(.badInput, mentions: ["unknown proxy 'grasp' (known: flops, params, zen, synflow, naswot, swap, swapreg, gradnorm, snip)"]) {
      _ = try ZeroCostProxies.make(name: "grasp")
    }
    assertThrowsRDNASError(.badInput, mentions: ["unknown proxy 'foo'"]) { _ = try ZeroCostProxies.make(list: "synflow,foo") }
    assertThrowsRDNASError(.badInput, mentions: ["empty proxy list"]) { _ = try ZeroCostProxies.make(list: " , ") }
  }

  func testDataProxiesNeedABatch() throws {
    let space = try proxySmallNB201()
    assertThrowsRDNASError(.badInput, mentions: ["needs an input batch"]) {
      _ = try NASWOT().score(arch: space.largest, space: space, batch: nil, seed: 0)
    }
    assertThrowsRDNASError(.badInput, mentions: ["needs an input batch"]) {
      _ = try ProxyScorer(proxies: [SNIP()], space: space, batch: nil, seed: 0)
    }
  }

  func testBatchValidation() throws {
    assertThrowsRDNASError(.badInput, mentions: ["3 values for shape"]) {
      _ = try ProxyBatch(shape: Shape(2, 2), values: [1, 2, 3], labels: [0, 1])
    }
    assertThrowsRDNASError(.badInput, mentions: ["1 labels for 2 samples"]) {
      _ = try ProxyBatch(shape: Shape(2, 1), values: [1, 2], labels: [0])
    }
    let net = try ProxyTinyLinearNet(features: 2, classes: 2, weights: [1, 0, 0, 1], bias: [0, 0])
    let batch = try ProxyBatch(shape: Shape(1, 2, 1, 1), values: [1, 2], labels: [5])
    assertThrowsRDNASError(.badInput, mentions: ["label 5 of sample 0 is out of range"]) {
      _ = try GradNorm().score(net: net, arch: Encoding(digits: []), batch: batch, seed: 0)
    }
  }

  func testScorerMatchesDirectCallsAndReportsProgress() throws {
    let space = try proxySmallNB201()
    let batch = try ProxyBatch.gaussian(count: 8, channels: 3, size: 8, classes: 10, seed: 4)
    let archs = [try space.parse("334131"), try space.parse("111111"), space.largest]
    let proxies = try ZeroCostProxies.make(list: ZeroCostProxies.names.joined(separator: ","))
    var calls = 0
    let result = try ProxyScorer(proxies: proxies, space: space, batch: batch, seed: 11).score(archs) { p in
      calls += 1
      XCTAssertLessThanOrEqual(p.done, p.total)
    }
    XCTAssertEqual(calls, archs.count * proxies.count)
    XCTAssertEqual(result.names, ZeroCostProxies.names)
    for proxy in proxies {
      for (i, arch) in archs.enumerated() {
        let direct = try proxy.score(arch: arch, space: space, batch: batch, seed: 11)
        XCTAssertEqual(result.values[proxy.name]?[i], direct, "\(proxy.name) \(arch) is not deterministic")
        XCTAssertTrue(direct.isFinite)
      }
    }
    assertThrowsRDNASError(.badInput, mentions: ["architecture 2 of 2"]) {
      _ = try ProxyScorer(proxies: [FLOPsProxy()], space: space, batch: nil, seed: 0)
        .score([space.largest, Encoding(digits: [9])])
    }
  }

  /// Every proxy runs on the ResNet space (residual blocks, projection shortcuts) and gives a finite value.
  func testResNetSpaceScoresFinite() throws {
    let space = ResNetSpace()
    let batch = try ProxyBatch.gaussian(count: 4, channels: 3, size: 8, classes: 10, seed: 2)
    let proxies: [any ZeroCostProxy] = [FLOPsProxy(), ParamsProxy(), ZenScore(batchSize: 2, resolution: 8),
                                        SynFlow(resolution: 8), NASWOT(), GradNorm(), SNIP()]
    for proxy in proxies {
      let value = try proxy.score(arch: space.smallest, space: space, batch: batch, seed: 1)
      XCTAssertTrue(value.isFinite && value != ZeroCostProxies.logZero, "\(proxy.name): \(value)")
    }
  }
}
