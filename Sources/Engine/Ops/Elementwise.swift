extension Tape {
  /// a + b (same shape).
  public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "add: \(a.shape) vs \(b.shape)")
    let y = Tensor(shape: a.shape, requiresGrad: a.requiresGrad || b.requiresGrad)
    SumPrimitives.sum(a.data, b.data, into: y.data, a.count)
    record("add", y) {
      guard let dy = y.grad else { return }
      // b copies (or adds) dy first; a then takes the buffer itself, or adds it when it already has a gradient
      // (also when a and b are the same tensor: its gradient is then 2·dy, as it should be).
      if b.requiresGrad { b.accumulateGrad(dy) }
      if a.requiresGrad { a.accumulateGrad(takingFrom: y) }
    }
    return y
  }

  /// relu(a + b) in one pass each way (a residual join followed by its activation). Falls back to the two
  /// ops when a proxy observes ReLU inputs.
  public func addReLU(_ a: Tensor, _ b: Tensor) -> Tensor {
    if reluObserver != nil { return relu(add(a, b)) }
    precondition(a.shape == b.shape, "addReLU: \(a.shape) vs \(b.shape)")
    let y = Tensor(shape: a.shape, requiresGrad: a.requiresGrad || b.requiresGrad)
    Vec.sumReLU(a.data, b.data, into: y.data, a.count)
    record("addReLU", y) {
      guard let dy = y.grad else { return }
      // The masked gradient is the same for both inputs: computed once into a temporary, added to each.
      switch (a.requiresGrad, b.requiresGrad) {
      case (true, true) where a.grad == nil && a !== b:
        // a has no gradient yet (a residual branch's BN output, read by nothing else): the masked gradient is
        // written into a's own buffer and b adds from there, without a temporary and its copy.
        a.accumulateGrad { Vec.maskPositive(dy, where: y.data, into: $0, a.count) }
        b.accumulateGrad(UnsafePointer(a.grad!))
      case (true, true):
        let g = Buffer.allocate(a.count)
        Vec.maskPositive(dy, where: y.data, into: g, a.count)
        a.accumulateGrad(g); b.accumulateGrad(g)
        Buffer.free(g)
      case (true, false): a.accumulateGrad { Vec.maskPositive(dy, where: y.data, into: $0, a.count) }
      case (false, true): b.accumulateGrad { Vec.maskPositive(dy, where: y.data, into: $0, b.count) }
      case (false, false): break
      }
    }
    return y
  }

  /// The sum of several same-shaped tensors (a NAS-Bench-201 node). Empty → nil; one tensor is returned as is.
  /// One op, not a chain of adds: a node of three edges reads its three inputs once and writes one output (a chain
  /// writes and re-reads an intermediate), and its backward adds the output's gradient into each input once.
  public func sum(_ xs: [Tensor]) -> Tensor? {
    guard let first = xs.first else { return nil }
    if xs.count == 1 { return first }
    if xs.count == 2 { return add(xs[0], xs[1]) }
    for x in xs { precondition(x.shape == first.shape, "sum: \(x.shape) vs \(first.shape)") }
    let y = Tensor(shape: first.shape, requiresGrad: xs.contains { $0.requiresGrad })
    SumPrimitives.sum(xs.map { UnsafePointer($0.data) }, into: y.data, first.count)
    recordSumBackward(xs, output: y)
    return y
  }

  /// The backward of y = Σ xs: y's gradient added into each input's.
  func recordSumBackward(_ xs: [Tensor], output y: Tensor) {
    record("add", y) {
      guard let dy = y.grad else { return }
      // Every input but the last reads dy; the last takes the buffer over (no copy), since nothing reads it after.
      let takers = xs.filter(\.requiresGrad)
      for x in takers.dropLast() { x.accumulateGrad(dy) }
      takers.last?.accumulateGrad(takingFrom: y)
    }
  }

  /// a − b (same shape).
  public func subtract(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "subtract: \(a.shape) vs \(b.shape)")
    let y = Tensor(shape: a.shape, requiresGrad: a.requiresGrad || b.requiresGrad)
    for i in 0..<a.count { y.data[i] = a.data[i] - b.data[i] }
    record("subtract", y) {
      guard let dy = y.grad else { return }
      if a.requiresGrad { a.accumulateGrad(dy) }
      if b.requiresGrad {
        b.accumulateGrad { Vec.scale(dy, by: -1, into: $0, b.count) }
      }
    }
    return y
  }

  /// s·x, any shape (loss weights such as λ).
  public func scale(_ x: Tensor, _ s: Float) -> Tensor {
    let y = Tensor(shape: x.shape, requiresGrad: x.requiresGrad)
    Vec.scale(x.data, by: s, into: y.data, x.count)
    record("scale", y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      x.accumulateGrad { Vec.scale(dy, by: s, into: $0, x.count) }
    }
    return y
  }

  /// x + c, any shape (a margin in a hinge).
  public func shift(_ x: Tensor, _ c: Float) -> Tensor {
    let y = Tensor(shape: x.shape, requiresGrad: x.requiresGrad)
    for i in 0..<x.count { y.data[i] = x.data[i] + c }
    record("shift", y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      x.accumulateGrad(dy)
    }
    return y
  }

  /// A zero tensor shaped like x, outside the graph (NB201's `none` op: no gradient flows through it).
  public func zerosLike(_ x: Tensor) -> Tensor {
    Tensor(shape: x.shape, requiresGrad: false, zeroed: true)
  }

  /// The first `c` channels of x (`x[:, :c]`), NHWC or [n, f].
  public func sliceChannels(_ x: Tensor, _ c: Int) -> Tensor {
    let cin = x.shape.c
    precondition(c <= cin, "sliceChannels: \(c) > \(cin)")
    if c == cin { return x }
    let rows = x.count / cin
    let y = Tensor(shape: x.shape.with(c: c), requiresGrad: x.requiresGrad)
    for r in 0..<rows { (y.data + r * c).update(from: x.data + r * cin, count: c) }
    record("sliceChannels", y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      let (dx, overwrite) = x.gradForWriting()
      if overwrite { dx.update(repeating: 0, count: x.count) }
      for r in 0..<rows { Vec.add(dy + r * c, into: dx + r * cin, c) }
    }
    return y
  }

  /// Mean of all elements → [1, 1].
  public func mean(_ x: Tensor) -> Tensor { reduce(x, scale: 1 / Float(x.count), name: "mean") }
  /// Sum of all elements → [1, 1].
  public func sum(_ x: Tensor) -> Tensor { reduce(x, scale: 1, name: "sum") }

  private func reduce(_ x: Tensor, scale s: Float, name: String) -> Tensor {
    let y = Tensor(shape: .scalar, requiresGrad: x.requiresGrad)
    var acc = 0.0
    for i in 0..<x.count { acc += Double(x.data[i]) }
    y.data[0] = Float(acc) * s
    record(name, y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      let g = dy[0] * s
      let (dx, overwrite) = x.gradForWriting()
      if overwrite { dx.update(repeating: g, count: x.count) } else { for i in 0..<x.count { dx[i] += g } }
    }
    return y
  }

  /// A copy that gradients do not flow through (`sg(·)`, a detached teacher).
  public func stopGradient(_ x: Tensor) -> Tensor { x.detached() }
}

extension Tape {
  /// x ⊙ c with c a constant of the same shape (no gradient to c): probes, masks.
  public func multiplyConstant(_ x: Tensor, _ c: Tensor) -> Tensor {
    precondition(x.shape == c.shape, "multiplyConstant: \(x.shape) vs \(c.shape)")
    let y = Tensor(shape: x.shape, requiresGrad: x.requiresGrad)
    for i in 0..<x.count { y.data[i] = x.data[i] * c.data[i] }
    record("multiplyConstant", y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      x.accumulateGrad { dx in for i in 0..<x.count { dx[i] = dy[i] * c.data[i] } }
    }
    return y
  }
}
