/// Gradients and running statistics as flat float buffers, so that a process group can combine them in a
/// few all-reduces (one large message costs far less than one per parameter).
public enum GradientPacking {
  /// Floats `pack` writes for `params`.
  public static func count(_ params: [Parameter]) -> Int { params.reduce(0) { $0 + $1.count } }

  /// Writes the gradients of `params` times `scale`, in order (zeros where a parameter is untouched).
  /// Summing these buffers over ranks with scale = each rank's share of the batch gives the full-batch
  /// gradient.
  public static func pack(_ params: [Parameter], into buffer: UnsafeMutableBufferPointer<Float>, scale: Float) {
    precondition(buffer.count == count(params), "gradient buffer has \(buffer.count) floats")
    var o = 0
    for p in params {
      if p.touched {
        for i in 0..<p.count { buffer[o + i] = p.grad[i] * scale }
      } else {
        for i in 0..<p.count { buffer[o + i] = 0 }
      }
      o += p.count
    }
  }

  /// Inverse of `pack` on the combined buffer: each of `params` takes its combined gradient and counts as
  /// touched, so the optimiser updates the same parameters on every rank.
  public static func unpack(_ params: [Parameter], from buffer: UnsafeMutableBufferPointer<Float>) {
    precondition(buffer.count == count(params), "gradient buffer has \(buffer.count) floats")
    var o = 0
    for p in params {
      p.grad.update(from: buffer.baseAddress! + o, count: p.count)
      p.touched = true
      o += p.count
    }
  }
}

extension ParameterStore {
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
