extension Tape {
  /// 3×3 average pooling, stride 1, padding 1, padded cells not counted (count_include_pad=False, the
  /// NAS-Bench-201 `avg_pool_3x3`).  [n, c, h, w] → [n, c, h, w]
  /// A separable box filter on the calling thread or oneDNN's team (BoxPool3x3: oneDNN's pooling was 2.5-3.5×
  /// slower); `pair(.avgPool…)` computes the same through oneDNN and is what the tests hold it against.
  public func avgPool3x3(_ x: Tensor) -> Tensor {
    precondition(x.shape.rank == 4, "avgPool3x3 takes [n, c, h, w], got \(x.shape)")
    let s = x.shape, threads = DNNL.threads
    let y = Tensor(shape: s, requiresGrad: x.requiresGrad)
    BoxPool3x3.forward(x.data, y.data, s, threads: threads)
    record("avgPool3x3", y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      let (dx, overwrite) = x.gradForWriting()
      BoxPool3x3.backward(dy, dx, s, overwrite: overwrite, threads: threads)
    }
    return y
  }

  /// 2×2 average pooling, stride 2 (the NB201 reduction shortcut).  [n, c, h, w] → [n, c, h/2, w/2]
  public func avgPool2x2(_ x: Tensor) -> Tensor {
    pair("avgPool2x2", x, .avgPool(kernel: 2, stride: 2, pad: 0, excludePadding: false))
  }

  /// Mean over the spatial positions.  [n, c, h, w] → [n, c]
  public func globalAvgPool(_ x: Tensor) -> Tensor {
    let s = x.shape
    let y = Tensor(shape: Shape(s.n, s.c), requiresGrad: x.requiresGrad, zeroed: true)
    costs?.globalPoolCost += Double((s.h * s.w + 1) * s.c)
    let hw = s.spatial, inv = 1 / Float(hw)
    for b in 0..<s.n {
      let out = y.data + b * s.c
      for p in 0..<hw { Vec.add(x.data + (b * hw + p) * s.c, into: out, s.c) }
      for ch in 0..<s.c { out[ch] *= inv }
    }
    record("globalAvgPool", y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      let (dx, overwrite) = x.gradForWriting()
      let row = Buffer.allocate(s.c)
      defer { Buffer.free(row) }
      for b in 0..<s.n {
        for ch in 0..<s.c { row[ch] = dy[b * s.c + ch] * inv }
        for p in 0..<hw {
          let d = dx + (b * hw + p) * s.c
          if overwrite { d.update(from: row, count: s.c) } else { Vec.add(row, into: d, s.c) }
        }
      }
    }
    return y
  }
}
