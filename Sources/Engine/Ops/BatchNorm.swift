import CDNNL

extension Tape {
  /// Batch normalisation over the first `x.c` channels of `bn`.  x: [n, c, h, w] → [n, c, h, w]
  /// Training: batch statistics (biased variance for normalising, unbiased for the running update, as
  /// PyTorch), running statistics of the used prefix updated with `momentum`. Eval: running statistics.
  /// epsilon is fixed at 1e-5 (the primitive cache key does not include it).
  public func batchNorm(_ x: Tensor, _ bn: BatchNormParams) -> Tensor { batchNorm(x, bn, fuseReLU: false) }

  /// relu(batchNorm(x)) in one oneDNN primitive each way. Falls back to the two ops when a proxy needs
  /// to see the ReLU's input (`reluObserver`) or BN is switched off (`skipBatchNorm`).
  public func batchNormReLU(_ x: Tensor, _ bn: BatchNormParams) -> Tensor {
    if skipBatchNorm || reluObserver != nil { return relu(batchNorm(x, bn)) }
    return batchNorm(x, bn, fuseReLU: true)
  }

  private func batchNorm(_ x: Tensor, _ bn: BatchNormParams, fuseReLU: Bool) -> Tensor {
    if skipBatchNorm { return x }
    let c = x.shape.c
    precondition(c <= bn.channels, "batchNorm: \(c) channels exceeds \(bn.runningMean.name) (\(bn.channels))")
    let s = x.shape.rank == 4 ? x.shape : Shape(x.shape.n, c, 1, 1)
    let key = BatchNormPrimitives.Key(n: s.n, c: c, h: s.h, w: s.w, affine: bn.affine, globalStats: !training,
                                       fuseReLU: fuseReLU)
    let prims = BatchNormPrimitives.get(key)
    let dnnl = DNNL.shared
    let y = Tensor(shape: x.shape, requiresGrad: true)
    costs?.batchNormElements += Double(x.count / x.shape.n)

    // Statistics used by this pass: a copy of the batch's (training) or the running prefix (eval).
    let savedMean = SavedBuffer(c), savedVar = SavedBuffer(c)
    let mean = savedMean.pointer, variance = savedVar.pointer
    if !training {
      mean.update(from: bn.runningMean.value, count: c)
      variance.update(from: bn.runningVar.value, count: c)
    }
    let src = dnnl.memory(prims.dataMD, x.data), dst = dnnl.memory(prims.dataMD, y.data)
    let mMem = dnnl.memory(prims.statMD, mean), vMem = dnnl.memory(prims.statMD, variance)
    var args: [(Int32, dnnl_memory_t)] = [(DNNL_ARG_SRC, src), (DNNL_ARG_DST, dst), (DNNL_ARG_MEAN, mMem),
                                          (DNNL_ARG_VARIANCE, vMem)]
    // The ReLU mask lives as long as the tape entry (the backward reads it).
    let workspace = prims.workspaceMD.map { SavedBuffer((MD.size($0) + 3) / 4) }
    let wsMem = prims.workspaceMD.map { dnnl.memory($0, workspace!.pointer) }
    if let wsMem { args.append((DNNL_ARG_WORKSPACE, wsMem)) }
    var scaleMem: dnnl_memory_t?, shiftMem: dnnl_memory_t?
    if let g = bn.gamma, let b = bn.beta {
      scaleMem = dnnl.memory(prims.statMD, g.value)
      shiftMem = dnnl.memory(prims.statMD, b.value)
      args += [(DNNL_ARG_SCALE, scaleMem!), (DNNL_ARG_SHIFT, shiftMem!)]
    }
    dnnl.execute(prims.forward, args)
    dnnl.release(src, dst, mMem, vMem)
    if let wsMem { dnnl.release(wsMem) }
    if let scaleMem, let shiftMem { dnnl.release(scaleMem, shiftMem) }

    if training { updateRunningStatistics(bn, mean: mean, variance: variance, channels: c, count: s.n * s.h * s.w) }

    record("\(fuseReLU ? "batchNormReLU" : "batchNorm")(\(bn.runningMean.name))", y) {
      let mean = savedMean.pointer, variance = savedVar.pointer
      guard let dy = y.grad else { return }
      let srcMem = dnnl.memory(prims.dataMD, x.data), dyMem = dnnl.memory(prims.dataMD, dy)
      let mMem = dnnl.memory(prims.statMD, mean), vMem = dnnl.memory(prims.statMD, variance)
      var args: [(Int32, dnnl_memory_t)] = [(DNNL_ARG_SRC, srcMem), (DNNL_ARG_DIFF_DST, dyMem),
                                            (DNNL_ARG_MEAN, mMem), (DNNL_ARG_VARIANCE, vMem)]
      var extra: [dnnl_memory_t] = []
      if let md = prims.workspaceMD, let workspace {
        extra.append(dnnl.memory(md, workspace.pointer))
        args.append((DNNL_ARG_WORKSPACE, extra[0]))
      }
      var dScale: UnsafeMutablePointer<Float>?, dShift: UnsafeMutablePointer<Float>?
      if let g = bn.gamma, let b = bn.beta {
        dScale = Buffer.allocate(c); dShift = Buffer.allocate(c)
        let mems = [dnnl.memory(prims.statMD, g.value), dnnl.memory(prims.statMD, b.value),
                    dnnl.memory(prims.statMD, dScale), dnnl.memory(prims.statMD, dShift)]
        extra += mems
        args += [(DNNL_ARG_SCALE, mems[0]), (DNNL_ARG_SHIFT, mems[1]), (DNNL_ARG_DIFF_SCALE, mems[2]),
                 (DNNL_ARG_DIFF_SHIFT, mems[3])]
      }
      // Runs even when x takes no gradient: γ and β still need theirs.
      x.accumulateGrad { dx in
        let dxMem = dnnl.memory(prims.dataMD, dx)
        dnnl.execute(prims.backward, args + [(DNNL_ARG_DIFF_SRC, dxMem)])
        dnnl.release(dxMem)
      }
      if let g = bn.gamma, let b = bn.beta, let dScale, let dShift {
        Vec.add(dScale, into: g.grad, c); Vec.add(dShift, into: b.grad, c)
        g.touched = true; b.touched = true
        Buffer.free(dScale); Buffer.free(dShift)
      }
      dnnl.release(srcMem, dyMem, mMem, vMem)
      for m in extra { dnnl.release(m) }
    }
    return y
  }

  /// Moves `bn`'s running statistics (its first `c` channels) towards a batch's: `variance` is the batch's biased
  /// variance over `count` values a channel, the running one takes the unbiased form (as PyTorch).
  func updateRunningStatistics(_ bn: BatchNormParams, mean: UnsafePointer<Float>, variance: UnsafePointer<Float>,
                               channels c: Int, count: Int) {
    let m = batchNormMomentum ?? bn.momentum
    let unbias = count > 1 ? Float(count) / Float(count - 1) : 1
    for i in 0..<c {
      bn.runningMean.value[i] = (1 - m) * bn.runningMean.value[i] + m * mean[i]
      bn.runningVar.value[i] = (1 - m) * bn.runningVar.value[i] + m * variance[i] * unbias
    }
  }
}
