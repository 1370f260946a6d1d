/// SGD with momentum, optional Nesterov, decoupled-from-BN weight decay and global-norm clipping, with
/// PyTorch's semantics: buf ← m·buf + g (buf ← g on a parameter's first step), update g + m·buf (Nesterov)
/// or buf. Parameters that no pass touched since the last step are skipped entirely, as PyTorch skips
/// parameters whose `.grad` is None: an unsampled supernet op keeps its weights and momentum.
public final class SGD: @unchecked Sendable {
  public struct Config: Codable, Sendable, Equatable {
    public var momentum: Float = 0.9
    public var nesterov = false
    public var weightDecay: Float = 0
    /// Apply weight decay to BN γ/β and biases too (off by default, the usual choice for BN nets).
    public var decayNormAndBias = false
    /// Clip gradients to this global L2 norm (nil: no clipping).
    public var clipNorm: Double?
    public init() {}
  }

  public var config: Config
  public let store: ParameterStore
  /// Momentum buffers by parameter name (saved in checkpoints).
  public private(set) var buffers: [String: [Float]] = [:]
  public private(set) var steps = 0

  public init(store: ParameterStore, config: Config) {
    self.store = store
    self.config = config
  }

  /// Applies one update with learning rate `lr` from the accumulated gradients, then clears them.
  /// Returns the global gradient norm before clipping.
  @discardableResult
  public func step(lr: Float) -> Double {
    let norm = store.gradNorm()
    apply(lr: lr, gradientNorm: norm)
    return norm
  }

  /// The update alone: clipping by `norm` (the global norm of the gradients in the store), momentum and
  /// weights of touched parameters, then zeroed gradients. Split from `step` so that a data-parallel
  /// trainer can combine the ranks' gradients between accumulation and update; fed the same combined
  /// gradients, every rank applies the same update.
  public func apply(lr: Float, gradientNorm norm: Double) {
    var clip: Float = 1
    if let maxNorm = config.clipNorm, norm > maxNorm { clip = Float(maxNorm / (norm + 1e-6)) }
    let m = config.momentum
    for p in store.trainable where p.touched {
      let decay = (p.kind == .weight || config.decayNormAndBias) ? config.weightDecay : 0
      let n = p.count
      let w = p.value, g = p.grad
      if m == 0 {
        for i in 0..<n { w[i] -= lr * (g[i] * clip + decay * w[i]) }
        continue
      }
      let first = buffers[p.name] == nil
      var buf = buffers[p.name] ?? [Float](repeating: 0, count: n)
      buf.withUnsafeMutableBufferPointer { b in
        for i in 0..<n {
          let gi = g[i] * clip + decay * w[i]
          b[i] = first ? gi : m * b[i] + gi
          w[i] -= lr * (config.nesterov ? gi + m * b[i] : b[i])
        }
      }
      buffers[p.name] = buf
    }
    store.zeroGrad()
    steps += 1
  }

  /// Restores momentum buffers (from a checkpoint); names must exist and sizes must match.
  public func restore(buffers: [String: [Float]], steps: Int) throws {
    for (name, b) in buffers {
      guard let p = store[name], p.count == b.count else {
        throw EngineError.mismatch("momentum buffer \(name) does not match the model")
      }
    }
    self.buffers = buffers
    self.steps = steps
  }
}

public enum EngineError: Error, CustomStringConvertible {
  case mismatch(String)
  public var description: String {
    switch self { case .mismatch(let m): return m }
  }
}
