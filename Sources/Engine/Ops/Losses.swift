#if canImport(Glibc)
import Glibc
#endif

/// Row-wise softmax of [n, k] logits (numerically stable), used by the losses and by evaluation.
public func softmaxRows(_ logits: UnsafePointer<Float>, rows: Int, classes k: Int) -> [Float] {
  var out = [Float](repeating: 0, count: rows * k)
  for r in 0..<rows {
    let z = logits + r * k
    var m = -Float.infinity
    for j in 0..<k { m = max(m, z[j]) }
    var s: Float = 0
    for j in 0..<k { let e = expf(z[j] - m); out[r * k + j] = e; s += e }
    for j in 0..<k { out[r * k + j] /= s }
  }
  return out
}

extension Tape {
  /// Mean softmax cross-entropy with hard labels.  logits [n, k], labels n values in 0..<k → [1, 1]
  public func crossEntropy(_ logits: Tensor, labels: [Int32]) -> Tensor {
    let n = logits.shape.n, k = logits.shape.c
    precondition(labels.count == n, "crossEntropy: \(labels.count) labels for \(n) rows")
    let p = softmaxRows(logits.data, rows: n, classes: k)
    var loss = 0.0
    for r in 0..<n { loss -= Double(logf(max(p[r * k + Int(labels[r])], Float.leastNormalMagnitude))) }
    let y = Tensor(shape: .scalar, requiresGrad: logits.requiresGrad)
    y.data[0] = Float(loss / Double(n))
    record("crossEntropy", y) {
      guard let dy = y.grad, logits.requiresGrad else { return }
      var g = p
      for r in 0..<n { g[r * k + Int(labels[r])] -= 1 }
      let s = dy[0] / Float(n)
      for i in 0..<g.count { g[i] *= s }
      g.withUnsafeBufferPointer { logits.accumulateGrad($0.baseAddress!) }
    }
    return y
  }

  /// Soft-target cross-entropy (in-place distillation): mean_b −Σ_k t_bk · log softmax(s)_bk, with the
  /// teacher distribution `target` a constant (the teacher is detached).  logits [n, k] → [1, 1]
  public func softCrossEntropy(_ logits: Tensor, target: [Float]) -> Tensor {
    let n = logits.shape.n, k = logits.shape.c
    precondition(target.count == n * k, "softCrossEntropy: target has \(target.count) values for \(n)×\(k)")
    let p = softmaxRows(logits.data, rows: n, classes: k)
    var loss = 0.0
    for i in 0..<(n * k) where target[i] > 0 { loss -= Double(target[i] * logf(max(p[i], Float.leastNormalMagnitude))) }
    let y = Tensor(shape: .scalar, requiresGrad: logits.requiresGrad)
    y.data[0] = Float(loss / Double(n))
    record("softCrossEntropy", y) {
      guard let dy = y.grad, logits.requiresGrad else { return }
      // d/dz of −Σ t log softmax(z) is softmax(z)·Σt − t.
      var g = [Float](repeating: 0, count: n * k)
      let s = dy[0] / Float(n)
      for r in 0..<n {
        var tsum: Float = 0
        for j in 0..<k { tsum += target[r * k + j] }
        for j in 0..<k { g[r * k + j] = (p[r * k + j] * tsum - target[r * k + j]) * s }
      }
      g.withUnsafeBufferPointer { logits.accumulateGrad($0.baseAddress!) }
    }
    return y
  }
}

/// Top-1 correct count of [n, k] logits against labels.
public func correctCount(_ logits: Tensor, labels: [Int32]) -> Int {
  let k = logits.shape.c
  var correct = 0
  for r in 0..<logits.shape.n {
    let z = logits.data + r * k
    var best = 0
    for j in 1..<k where z[j] > z[best] { best = j }
    if best == Int(labels[r]) { correct += 1 }
  }
  return correct
}
