import Engine

/// Reads the per-channel batch variance every batch norm saw in one training-mode forward, through the
/// running statistics, since the Engine has no hook on BN inputs.
///
/// A training-mode BN sets `running_var ← (1 − m)·running_var + m·σ²_unbiased` (m = 0.1, the Engine's
/// `BatchNormParams` default that every supernet uses). With `running_var` armed at 0 the value after the
/// pass is m·σ², so σ² = running_var / m exactly up to float rounding: the unbiased batch variance,
/// i.e. the quantity a running variance tracks. A BN that did not run (a shortcut BN of a residual-free
/// pass) is recognised because its `running_mean`, armed at a marker value, is left untouched; per
/// channel, so a BN used on a prefix of its channels counts only those.
///
/// If the Engine gains a `batchNormObserver` on `Tape`, this becomes a direct per-channel variance of the
/// observed input and the momentum assumption disappears.
struct BatchVarianceProbe {
  static let momentum: Float = 0.1
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

  /// Prepares the statistics for one forward pass.
  func arm() {
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
        sum += Double(l.variance.value[c]) / Double(Self.momentum)
        used += 1
      }
      if used > 0 { out.append(sum / Double(used)) }
    }
    return out
  }
}
