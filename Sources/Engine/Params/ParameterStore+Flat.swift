/// The store's gradients and running statistics as one flat float buffer, so that a process group can
/// combine them in a single all-reduce (one large message costs far less than one per parameter).
extension ParameterStore {
  /// Floats `packGradients` writes: every trainable gradient, then one "touched" flag per trainable parameter.
  public var packedGradientCount: Int {
    let t = trainable
    return t.reduce(0) { $0 + $1.count } + t.count
  }

  /// Writes every trainable gradient times `scale` (zeros where untouched) followed by the touched flags
  /// (1 or 0). Summing these buffers over ranks with scale = local share of the batch gives the
  /// full-batch gradient, and a flag > 0 where any rank touched the parameter.
  public func packGradients(into buffer: UnsafeMutableBufferPointer<Float>, scale: Float) {
    let t = trainable
    precondition(buffer.count == packedGradientCount, "gradient buffer has \(buffer.count) floats")
    var o = 0
    for p in t {
      if p.touched {
        for i in 0..<p.count { buffer[o + i] = p.grad[i] * scale }
      } else {
        for i in 0..<p.count { buffer[o + i] = 0 }
      }
      o += p.count
    }
    for (k, p) in t.enumerated() { buffer[o + k] = p.touched ? 1 : 0 }
  }

  /// Inverse of `packGradients` on the combined buffer: a parameter touched by any rank is touched here,
  /// so the optimiser updates (and skips) the same parameters on every rank.
  public func unpackGradients(from buffer: UnsafeMutableBufferPointer<Float>) {
    let t = trainable
    precondition(buffer.count == packedGradientCount, "gradient buffer has \(buffer.count) floats")
    let flags = buffer.count - t.count
    var o = 0
    for (k, p) in t.enumerated() {
      if buffer[flags + k] > 0 {
        p.grad.update(from: buffer.baseAddress! + o, count: p.count)
        p.touched = true
      } else if p.touched {
        p.zeroGrad()
      }
      o += p.count
    }
  }

  /// Running statistics (BN running mean and variance) as one buffer, in store order.
  public func packStatistics() -> [Float] {
    all.filter { $0.kind == .buffer }.flatMap(\.values)
  }

  public func unpackStatistics(_ values: [Float]) {
    var o = 0
    for p in all where p.kind == .buffer {
      p.values = Array(values[o..<(o + p.count)])
      o += p.count
    }
    precondition(o == values.count, "statistics buffer has \(values.count) floats, the model \(o)")
  }
}
