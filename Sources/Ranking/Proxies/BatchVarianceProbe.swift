import Engine

/// Reads the per-channel batch variance every batch norm saw in one training-mode forward, through the
/// running statistics, since the Engine has no hook on BN inputs.
///
/// A training-mode BN sets `running_var ← (1 − m)·running_var + m·σ²_unbiased`. The probe's tape runs with
/// the momentum overridden to m = 1 (`Tape.batchNormMomentum`), so after the pass `running_var` *is* the
/// unbiased batch variance of that BN's input, the quantity a running variance tracks. A BN that did not
/// run (a shortcut BN of a residual-free pass) is recognised because its `running_mean`, armed at a marker
/// value, is left untouched; this is per channel, so a BN used on a prefix of its channels counts only those.
struct BatchVarianceProbe {
  static let marker: Float = 1.0e20

  private let layers: [(mean: Parameter, variance: Parameter)]

  init(store: ParameterStore) {
    var layers: [(Parameter, Parameter)] = []
    for p in store.all where p.kind == .buffer && p.name.hasSuffix(".running_var") {
      let prefix = p.name.dropLast(".running_var".count)
      if let mean = store["\(prefix).running_mean"], mean.count == p.count { layers.append((mean, p)) }
    }
    self.layers = layers
  }

  var layerCount: Int { layers.count }

  /// Prepares the statistics, and `tape`, for one forward pass.
  func arm(_ tape: Tape) {
    tape.batchNormMomentum = 1
    for l in layers {
      l.mean.value.update(repeating: Self.marker, count: l.mean.count)
      l.variance.value.update(repeating: 0, count: l.variance.count)
    }
  }

  /// For each BN that ran since `arm`, the mean over its used channels of the batch variance, in store order.
  func meanVariances() -> [Double] {
    var out: [Double] = []
    for l in layers {
      var sum = 0.0, used = 0
      for c in 0..<l.variance.count where l.mean.value[c] != Self.marker {
        sum += Double(l.variance.value[c])
        used += 1
      }
      if used > 0 { out.append(sum / Double(used)) }
    }
    return out
  }
}
