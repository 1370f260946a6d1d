import ArgumentParser
import Common
import Engine
import Foundation
import Supernet

/// Engine micro-benchmarks with the same definitions as bench/peer_resnet20.py, one line per figure.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time engine kernels: 3x3 conv fwd+bwd and a ResNet-20 training step (batch 64, 32x32).")

  @Option(help: "Repetitions after 3 warm-up runs.") var reps = 20
  @OptionGroup var compute: ComputeOptions

  func run() throws {
    compute.apply()
    var rng = RandomSource(seed: 0)
    func gaussian(_ n: Int) -> [Float] { (0..<n).map { _ in rng.nextGaussian() } }

    let x = Tensor(shape: Shape(64, 32, 32, 32), values: gaussian(64 * 32 * 32 * 32), requiresGrad: true)
    let w = Parameter(name: "w", shape: [32, 32, 3, 3], kind: .weight)
    w.values = gaussian(w.count)
    let (cmin, cmed) = try timed(reps) {
      x.clearGrad(); w.zeroGrad()
      let t = Tape(training: true)
      try t.backward(t.sum(t.conv2d(x, w, outChannels: 32, kernel: 3)))
    }
    report("conv3x3_fwd_bwd", cmin, cmed)

    let net = ResNet20(seed: 1)
    let opt = SGD(store: net.store, config: SGD.Config())
    let xb = Tensor(shape: Shape(64, 3, 32, 32), values: gaussian(64 * 3 * 32 * 32))
    let yb = (0..<64).map { _ in Int32(rng.next() % 10) }
    let (rmin, rmed) = try timed(reps) {
      let t = Tape(training: true)
      try t.backward(t.crossEntropy(net.logits(t, xb), labels: yb))
      opt.step(lr: 0.1)
    }
    report("resnet20_step", rmin, rmed)
  }

  func report(_ name: String, _ mn: Double, _ md: Double) {
    print(String(format: "%@ threads=%d min_ms=%.2f median_ms=%.2f", name, DNNL.threads, mn, md))
  }

  func timed(_ reps: Int, _ body: () throws -> Void) rethrows -> (Double, Double) {
    for _ in 0..<3 { try body() }
    var ts: [Double] = []
    for _ in 0..<reps {
      let t0 = DispatchTime.now().uptimeNanoseconds
      try body()
      ts.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    ts.sort()
    return (ts[0], ts[ts.count / 2])
  }
}
