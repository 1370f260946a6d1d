import CDNNL

extension Tape {
  /// 2-D convolution without bias using the weight-sharing slice `weight[:outChannels, :x.c]`.
  ///   x: [n, cin, h, w] → y: [n, outChannels, ho, wo]
  /// The gradient of the slice is accumulated into `weight.grad`; the rest of the full weight is untouched.
  public func conv2d(_ x: Tensor, _ weight: Parameter, outChannels: Int, kernel: Int, stride: Int = 1,
                     padding: Int? = nil) -> Tensor {
    let pad = padding ?? kernel / 2
    precondition(weight.shape.count == 4 && weight.shape[2] == kernel && weight.shape[3] == kernel,
                 "conv2d: \(weight.name) is not a \(kernel)x\(kernel) kernel")
    precondition(x.shape.c <= weight.shape[1] && outChannels <= weight.shape[0],
                 "conv2d: slice [\(outChannels), \(x.shape.c)] exceeds \(weight.name) \(weight.shape)")
    let bf16 = precision == .bf16
    let key = ConvPrimitives.Key(n: x.shape.n, cin: x.shape.c, h: x.shape.h, w: x.shape.w, cout: outChannels,
                                 k: kernel, stride: stride, pad: pad, cinMax: weight.shape[1], bf16: bf16,
                                 winograd: convAlgorithm.usesWinograd(cin: x.shape.c, cout: outChannels,
                                                                      kernel: kernel, stride: stride, pad: pad,
                                                                      bf16: bf16))
    let prims = ConvPrimitives.get(key)
    let winograd = prims.winograd
    let dnnl = DNNL.shared
    let y = Tensor(shape: Shape(x.shape.n, outChannels, prims.ho, prims.wo), requiresGrad: true)
    costs?.convMACs += Double(prims.ho * prims.wo * outChannels * kernel * kernel * x.shape.c)

    let cache = weightCache
    let wBuf = WeightLayoutCache.weights(weight, prims, .forward, cache: cache, scratch: Scratch.convWeights)
    let wMem = dnnl.memory(prims.fwdWeightsMD, wBuf)
    // bf16: x's bf16 copy is made once and kept for the weight gradient (half the size of x, which the
    // tape keeps alive anyway), instead of converting x again during backward. Winograd's blocked copy is as
    // large as x, so it lives in scratch and is made again for the weight gradient (one more reorder; see
    // `ConvAlgorithm` for what the reorders cost).
    let xLow = prims.srcToLow == nil || winograd ? nil : SavedBuffer((MD.size(prims.srcLowMD) + 3) / 4)
    let blockedSrc = { Scratch.get(Scratch.convSrcBlocked, bytes: MD.size(prims.srcLowMD)) }
    let src = Tape.lowered(x.data, prims.srcMD, prims.srcLowMD, prims.srcToLow,
                           into: winograd ? blockedSrc() : xLow.map { UnsafeMutableRawPointer($0.pointer) })
    let dst = winograd ? dnnl.memory(prims.dstLowMD, Scratch.get(Scratch.convDstBlocked, bytes: MD.size(prims.dstLowMD)))
                       : dnnl.memory(prims.dstMD, y.data)
    dnnl.execute(prims.forward, [(DNNL_ARG_SRC, src), (DNNL_ARG_WEIGHTS, wMem), (DNNL_ARG_DST, dst)])
    if let toNHWC = prims.dstToNHWC {
      let out = dnnl.memory(prims.dstMD, y.data)
      dnnl.execute(toNHWC, [(DNNL_ARG_FROM, dst), (DNNL_ARG_TO, out)])
      dnnl.release(out)
    }
    dnnl.release(wMem, src, dst)

    record("conv2d(\(weight.name))", y) {
      guard let dy = y.grad else { return }
      let dyMem = Tape.lowered(dy, prims.dstMD, prims.dstLowMD, prims.dstToLow,
                               into: prims.dstToLow == nil ? nil : Scratch.get(Scratch.convDiffDstLow, bytes: MD.size(prims.dstLowMD)))
      // Weights first: the slice gradient accumulates through a reorder with a sum post-op.
      let dwBuf = Scratch.get(Scratch.convDiffWeights, bytes: MD.size(prims.diffWeightsMD))
      let dwMem = dnnl.memory(prims.diffWeightsMD, dwBuf)
      let srcMem = winograd ? Tape.lowered(x.data, prims.srcMD, prims.srcLowMD, prims.srcToLow, into: blockedSrc())
        : xLow.map { dnnl.memory(prims.srcLowMD, $0.pointer) } ?? dnnl.memory(prims.srcMD, x.data)
      dnnl.execute(prims.backwardWeights, [(DNNL_ARG_SRC, srcMem), (DNNL_ARG_DIFF_DST, dyMem),
                                           (DNNL_ARG_DIFF_WEIGHTS, dwMem)])
      let gradSlice = dnnl.memory(prims.sliceMD, weight.grad)
      dnnl.execute(prims.diffToSliceAccumulate, [(DNNL_ARG_FROM, dwMem), (DNNL_ARG_TO, gradSlice)])
      weight.touched = true
      dnnl.release(dwMem, srcMem, gradSlice)

      if x.requiresGrad {
        let wBuf = WeightLayoutCache.weights(weight, prims, .backwardData, cache: cache,
                                             scratch: Scratch.convBwdWeights)
        let wMem = dnnl.memory(prims.bwdDataWeightsMD, wBuf)
        // Winograd writes a blocked diff_src, which is then reordered into the nhwc gradient.
        let dxBlocked = prims.diffSrcToNHWC == nil ? nil
          : dnnl.memory(prims.srcLowMD, Scratch.get(Scratch.convDiffSrcBlocked, bytes: MD.size(prims.srcLowMD)))
        x.accumulateGrad { dx in
          let dxMem = dnnl.memory(prims.srcMD, dx)
          dnnl.execute(prims.backwardData, [(DNNL_ARG_DIFF_DST, dyMem), (DNNL_ARG_WEIGHTS, wMem),
                                            (DNNL_ARG_DIFF_SRC, dxBlocked ?? dxMem)])
          if let toNHWC = prims.diffSrcToNHWC, let dxBlocked {
            dnnl.execute(toNHWC, [(DNNL_ARG_FROM, dxBlocked), (DNNL_ARG_TO, dxMem)])
          }
          dnnl.release(dxMem)
        }
        if let dxBlocked { dnnl.release(dxBlocked) }
        dnnl.release(wMem)
      }
      dnnl.release(dyMem)
    }
    return y
  }

  /// A memory object over `data` as the primitive reads it: the fp32 tensor itself, or (bf16) its
  /// conversion into `buffer`.
  private static func lowered(_ data: UnsafeMutablePointer<Float>, _ md: dnnl_memory_desc_t, _ lowMD: dnnl_memory_desc_t,
                              _ convert: dnnl_primitive_t?, into buffer: UnsafeMutableRawPointer?) -> dnnl_memory_t {
    let dnnl = DNNL.shared
    guard let convert, let buffer else { return dnnl.memory(md, data) }
    let f32 = dnnl.memory(md, data)
    let low = dnnl.memory(lowMD, buffer)
    dnnl.execute(convert, [(DNNL_ARG_FROM, f32), (DNNL_ARG_TO, low)])
    dnnl.release(f32)
    return low
  }
}
