import Common
import Engine
import Search
import Supernet
import XCTest

@testable import Ranking

/// Base class of the proxy tests: runs oneDNN on one thread. The test nets are tiny, and with 2 OpenMP
/// threads on a shared 2-core machine every op can wait a scheduler slice at a barrier (a 0.3 s run took 40 s).
class ProxyTestCase: XCTestCase {
  private var savedThreads = 1

  override func setUp() {
    super.setUp()
    savedThreads = DNNL.threads
    DNNL.setThreads(1)
  }

  override func tearDown() {
    DNNL.setThreads(savedThreads)
    super.tearDown()
  }
}

/// A one-layer net for hand-derived proxy values: features = relu(x) on [n, f, 1, 1] inputs, logits =
/// W·GAP(features) + b. Its `space` only supplies the input geometry (f channels, side 1) and class count.
final class ProxyTinyLinearNet: Supernet {
  let store = ParameterStore()
  let space: any SearchSpace
  let weight: Parameter
  let bias: Parameter
  let features: Int, classes: Int

  init(features: Int, classes: Int, weights: [Float], bias: [Float]) throws {
    var cfg = NB201Space.Config()
    cfg.inputChannels = features
    cfg.inputSize = 1
    cfg.classes = classes
    space = try NB201Space(config: cfg)
    self.features = features
    self.classes = classes
    weight = store.add(Parameter(name: "fc.weight", shape: [classes, features], kind: .weight))
    self.bias = store.add(Parameter(name: "fc.bias", shape: [classes], kind: .bias))
    weight.values = weights
    self.bias.values = bias
  }

  func features(_ t: Tape, _ x: Tensor, arch: Encoding) -> Tensor { t.relu(x) }

  func head(_ t: Tape, _ features: Tensor) -> Tensor {
    t.linear(t.globalAvgPool(features), weight, bias: bias, outFeatures: classes)
  }
}

/// A small NB201 space (C channels, N cells per stage, 8×8 inputs) so that networks run in milliseconds.
func proxySmallNB201(C: Int = 4, N: Int = 1, size: Int = 8) throws -> NB201Space {
  var cfg = NB201Space.Config()
  cfg.C = C
  cfg.N = N
  cfg.inputSize = size
  return try NB201Space(config: cfg)
}

