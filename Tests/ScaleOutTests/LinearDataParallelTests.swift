import XCTest
import Foundation
import Collective
import Common
import Engine
import Training

/// (a) without BN: a small MLP trained data-parallel on 3 ranks (uneven parts 10/11/11 of a global batch
/// of 32) ends with the weights one process gets on the whole batch, up to float summation order, on
/// every rank. Momentum, Nesterov, weight decay and global-norm clipping all take part, and a parameter no
/// pass touches must stay as it was.
///
/// The same test method is the worker: run by `mpirun` on this test bundle with RDNAS_LINEAR_WORKER_OUT
/// set, it trains its part and writes its rank's weights instead.
final class LinearDataParallelTests: XCTestCase {
  static let steps = 6, batch = 32, features = 8, hidden = 16, classes = 4

  func testRanksSplittingTheBatchEndWithOneProcessWeights() throws {
    if let out = ProcessInfo.processInfo.environment["RDNAS_LINEAR_WORKER_OUT"] {
      let world = World.collective
      // Ranks that disagree (here rank 2's fingerprint differs) must all see it, before any gradient moves.
      var none: [Double] = []
      let exchange = GradientExchange(store: ParameterStore(), collective: world)
      let agreed = exchange.combine(localCount: 1, globalCount: 3, statistics: &none, fingerprint: world.rank == 2 ? 7 : 5)
      let agreedAgain = exchange.combine(localCount: 1, globalCount: 3, statistics: &none, fingerprint: 5)
      try JSONEncoder().encode([agreed, agreedAgain]).write(to: URL(fileURLWithPath: "\(out).agree.\(world.rank)"))
      let w = try Self.train(collective: world)
      try JSONEncoder().encode(w).write(to: URL(fileURLWithPath: "\(out).\(world.rank)"))
      return
    }
    let mpirun = try MPI.mpirun()
    let reference = try Self.train(collective: SingleProcess())
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("rdnas-linear-\(UUID().uuidString)").path
    let ranks = 3
    let job = try MPI.Job(mpirun, ["--allow-run-as-root", "--oversubscribe", "-np", "\(ranks)", CommandLine.arguments[0],
                                   "ScaleOutTests.LinearDataParallelTests/testRanksSplittingTheBatchEndWithOneProcessWeights"],
                          extraEnvironment: ["RDNAS_LINEAR_WORKER_OUT": out])
    let (status, output) = job.finish()
    XCTAssertEqual(status, 0, output)
    var worst: Float = 0
    for r in 0..<ranks {
      let agree = try JSONDecoder().decode([Bool].self, from: Data(contentsOf: URL(fileURLWithPath: "\(out).agree.\(r)")))
      try? FileManager.default.removeItem(atPath: "\(out).agree.\(r)")
      XCTAssertEqual(agree, [false, true], "rank \(r): a differing fingerprint is seen by every rank")
      let path = "\(out).\(r)"
      defer { try? FileManager.default.removeItem(atPath: path) }
      let w = try JSONDecoder().decode([String: [Float]].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
      XCTAssertEqual(Set(w.keys), Set(reference.keys))
      for (name, v) in reference {
        let u = try XCTUnwrap(w[name])
        XCTAssertEqual(u.count, v.count)
        for (a, b) in zip(u, v) { worst = max(worst, abs(a - b)) }
        if name == "unused.weight" { XCTAssertEqual(u, v, "untouched on every rank: must not move") }
      }
    }
    // Float sums in another order (per-rank partial sums, then across ranks): measured ≤ 6e-8.
    XCTAssertLessThan(worst, 1e-6, "largest weight difference to one process")
    print("linear data-parallel: largest |w_rank − w_single| = \(worst)")
  }

  /// Trains the MLP for `steps` steps on this rank's part of each global batch; returns every parameter.
  static func train(collective: any Collective) throws -> [String: [Float]] {
    let store = ParameterStore()
    var rng = RandomSource(seed: 11)
    let w1 = store.add(Parameter(name: "fc1.weight", shape: [hidden, features], kind: .weight))
    let b1 = store.add(Parameter(name: "fc1.bias", shape: [hidden], kind: .bias))
    let w2 = store.add(Parameter(name: "fc2.weight", shape: [classes, hidden], kind: .weight))
    let b2 = store.add(Parameter(name: "fc2.bias", shape: [classes], kind: .bias))
    let unused = store.add(Parameter(name: "unused.weight", shape: [3, 3], kind: .weight))
    for p in [w1, b1, w2, b2, unused] { p.initUniform(bound: 0.5, rng: &rng) }
    var config = SGD.Config()
    // Gradient norms here run 1.04, 0.75, 0.44, 0.54, 0.42, 0.48: clipping acts on half the steps.
    config.momentum = 0.9; config.nesterov = true; config.weightDecay = 1e-3; config.clipNorm = 0.5
    let sgd = SGD(store: store, config: config)
    let exchange = GradientExchange(store: store, collective: collective)
    let part = collective.part(of: batch)
    for step in 0..<steps {
      var data = RandomSource(seed: 100 + UInt64(step))
      let x = (0..<(batch * features)).map { _ in data.nextGaussian() }
      let y = (0..<batch).map { _ in Int32(data.uniform(below: classes)) }
      let t = Tape(training: true)
      let input = Tensor(shape: Shape(part.count, features), values: Array(x[(part.lowerBound * features)..<(part.upperBound * features)]))
      let h = t.relu(t.linear(input, w1, bias: b1, outFeatures: hidden))
      let loss = t.crossEntropy(t.linear(h, w2, bias: b2, outFeatures: classes), labels: Array(y[part]))
      try t.backward(loss)
      var statistics = [Double(loss.scalar)]
      exchange.combine(localCount: part.count, globalCount: batch, statistics: &statistics)
      sgd.apply(lr: 0.1, gradientNorm: store.gradNorm())
    }
    return Dictionary(uniqueKeysWithValues: store.all.map { ($0.name, $0.values) })
  }
}
