import Data
import Engine
import Search
import Supernet

/// Replaces a network's BN running statistics by their cumulative mean over calibration batches run through
/// the subnet `arch` (statistics shared by many subnets fit none of them exactly; a subnet's own are what a
/// standalone network would have).
public enum BatchNormRecalibration {
  public static func run(_ net: Supernet, arch: Encoding, batches: [Batch], precision: Precision = .fp32) {
    let stats = net.store.all.filter { $0.kind == .buffer }
    for p in stats { p.values = [Float](repeating: p.name.hasSuffix("running_var") ? 1 : 0, count: p.count) }
    for (k, batch) in batches.enumerated() {
      let t = Tape(training: true, inference: true)
      t.precision = precision
      t.batchNormMomentum = 1 / Float(k + 1)  // cumulative mean over the calibration batches
      _ = net.logits(t, batch.tensor(), arch: arch)
    }
  }
}
