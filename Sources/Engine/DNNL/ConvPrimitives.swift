import CDNNL

/// Everything oneDNN needs for one convolution shape, created once and cached: forward, backward-data and
/// backward-weights primitives, the weight layouts each one chose (`format_tag_any`), and the reorders
/// between those layouts and the weight-sharing slice `W[:cout, :cin]` of the full OIHW master tensor.
///
/// Activations are nhwc fp32 everywhere else. What the primitives themselves read and write differs:
/// - direct fp32: the tensors as they are;
/// - direct bf16: bf16 copies of the conv's two inputs (`srcToLow`, `dstToLow`); outputs stay fp32 nhwc, and
///   the fp32 masters are rounded by the weight reorders themselves;
/// - Winograd (fp32 only, see `ConvAlgorithm`): blocked nChw16c copies of the inputs, and blocked outputs that
///   `dstToNHWC` / `diffSrcToNHWC` bring back to nhwc.
final class ConvPrimitives: @unchecked Sendable {
  struct Key: Hashable {
    let n: Int, cin: Int, h: Int, w: Int, cout: Int, k: Int, stride: Int, pad: Int
    /// Row pitch of the full master weight (its Cin_max): the slice is a strided view of it.
    let cinMax: Int
    var bf16 = false
    var winograd = false
  }

  let key: Key
  let ho: Int, wo: Int
  let forward: dnnl_primitive_t
  let backwardData: dnnl_primitive_t
  let backwardWeights: dnnl_primitive_t
  let fwdWeightsMD: dnnl_memory_desc_t, bwdDataWeightsMD: dnnl_memory_desc_t, diffWeightsMD: dnnl_memory_desc_t
  let sliceMD: dnnl_memory_desc_t
  let srcMD: dnnl_memory_desc_t, dstMD: dnnl_memory_desc_t
  /// What the primitives read for src and diff_dst: `srcMD`/`dstMD` in direct fp32, bf16 or blocked twins otherwise.
  let srcLowMD: dnnl_memory_desc_t, dstLowMD: dnnl_memory_desc_t
  /// Conversions of the conv's activation inputs into those (nil in direct fp32).
  let srcToLow: dnnl_primitive_t?, dstToLow: dnnl_primitive_t?
  /// Winograd's blocked dst and diff_src back to nhwc (nil for direct convolutions, which write nhwc).
  let dstToNHWC: dnnl_primitive_t?, diffSrcToNHWC: dnnl_primitive_t?
  let sliceToFwd: dnnl_primitive_t, sliceToBwdData: dnnl_primitive_t, diffToSliceAccumulate: dnnl_primitive_t
  let implementation: String

  var winograd: Bool { key.winograd }

  /// Nil only for a Winograd key that oneDNN cannot run here (a CPU without the kernels).
  init?(_ key: Key, _ dnnl: DNNL) {
    self.key = key
    ho = (key.h + 2 * key.pad - key.k) / key.stride + 1
    wo = (key.w + 2 * key.pad - key.k) / key.stride + 1
    let srcShape = Shape(key.n, key.cin, key.h, key.w), dstShape = Shape(key.n, key.cout, ho, wo)
    srcMD = MD.nhwc(srcShape)
    dstMD = MD.nhwc(dstShape)
    let low = key.bf16 ? dnnl_bf16 : dnnl_f32
    if key.winograd {
      precondition(!key.bf16, "Winograd convolutions are fp32 only")
      srcLowMD = MD.tagged([key.n, key.cin, key.h, key.w], dnnl_nChw16c)
      dstLowMD = MD.tagged([key.n, key.cout, ho, wo], dnnl_nChw16c)
    } else {
      srcLowMD = MD.nhwc(srcShape, low)
      dstLowMD = MD.nhwc(dstShape, low)
    }
    // Outputs: fp32 nhwc for direct convolutions, blocked fp32 for Winograd.
    var dstOut = key.winograd ? dstLowMD : dstMD, diffSrcOut = key.winograd ? srcLowMD : srcMD
    let wDims = [key.cout, key.cin, key.k, key.k]
    var anyW = MD.any(wDims, low), anyDiffW = MD.any(wDims)
    var srcLow = srcLowMD, dstLow = dstLowMD
    let strides: [Int64] = [Int64(key.stride), Int64(key.stride)]
    let pads: [Int64] = [Int64(key.pad), Int64(key.pad)]
    let algorithm = key.winograd ? dnnl_convolution_winograd : dnnl_convolution_direct

    var fd = dnnl_convolution_desc_t()
    dnnlCheck(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, algorithm,
                                                 &srcLow, &anyW, nil, &dstOut, strides, pads, pads), "conv fwd desc")
    var bd = dnnl_convolution_desc_t()
    dnnlCheck(dnnl_convolution_backward_data_desc_init(&bd, algorithm, &diffSrcOut, &anyW, &dstLow,
                                                       strides, pads, pads), "conv bwd-data desc")
    var wd = dnnl_convolution_desc_t()
    dnnlCheck(dnnl_convolution_backward_weights_desc_init(&wd, algorithm, &srcLow, &anyDiffW, nil, &dstLow,
                                                          strides, pads, pads), "conv bwd-weights desc")
    let fpd: dnnl_primitive_desc_t, bpd: dnnl_primitive_desc_t, wpd: dnnl_primitive_desc_t
    if key.winograd {
      guard let f = dnnl.tryPrimitiveDesc(&fd) else { return nil }
      guard let b = dnnl.tryPrimitiveDesc(&bd, hint: f) else { dnnl_primitive_desc_destroy(f); return nil }
      guard let w = dnnl.tryPrimitiveDesc(&wd, hint: f) else {
        dnnl_primitive_desc_destroy(f); dnnl_primitive_desc_destroy(b); return nil
      }
      (fpd, bpd, wpd) = (f, b, w)
    } else {
      fpd = dnnl.primitiveDesc(&fd, "conv fwd pd")
      bpd = dnnl.primitiveDesc(&bd, hint: fpd, "conv bwd-data pd")
      // oneDNN 2.6's AVX2 1×1 weight gradient with a stride (its "reduce to unit stride" copy of src) gives
      // run-to-run different, wrong dW for Cin off its 8-channel block (measured on an AVX2-only EPYC: wrong at
      // Cin 3, 4, 5; right at 12 and 20, but avoided for every Cin % 8 != 0 to be safe; a [8, 4, 1, 1] stride-2
      // shortcut's gradient changed between identical passes and the heap was corrupted). The next
      // implementation oneDNN offers is exact there (ConvolutionTests.testWeightGradientMatchesNaive…).
      let unsafe1x1 = key.k == 1 && key.stride > 1 && key.cin % 8 != 0
      wpd = dnnl.primitiveDesc(&wd, hint: fpd, avoiding: { unsafe1x1 && $0.hasPrefix("jit_1x1:avx2") },
                               "conv bwd-weights pd")
    }

    forward = dnnl.primitive(fpd)
    backwardData = dnnl.primitive(bpd)
    backwardWeights = dnnl.primitive(wpd)
    fwdWeightsMD = dnnl.queryMD(fpd, dnnl_query_weights_md)
    bwdDataWeightsMD = dnnl.queryMD(bpd, dnnl_query_weights_md)
    diffWeightsMD = dnnl.queryMD(wpd, dnnl_query_diff_weights_md)
    implementation = [fpd, bpd, wpd].map { DNNL.implementation($0) }.joined(separator: " / ")
    for pd in [fpd, bpd, wpd] { dnnl_primitive_desc_destroy(pd) }

    let kk = key.k * key.k
    sliceMD = MD.strided(wDims, [key.cinMax * kk, kk, key.k, 1])
    sliceToFwd = dnnl.reorderPrimitive(from: sliceMD, to: fwdWeightsMD, accumulate: false)
    sliceToBwdData = dnnl.reorderPrimitive(from: sliceMD, to: bwdDataWeightsMD, accumulate: false)
    diffToSliceAccumulate = dnnl.reorderPrimitive(from: diffWeightsMD, to: sliceMD, accumulate: true)
    let convertsInputs = key.bf16 || key.winograd
    srcToLow = convertsInputs ? dnnl.reorderPrimitive(from: srcMD, to: srcLowMD, accumulate: false) : nil
    dstToLow = convertsInputs ? dnnl.reorderPrimitive(from: dstMD, to: dstLowMD, accumulate: false) : nil
    dstToNHWC = key.winograd ? dnnl.reorderPrimitive(from: dstLowMD, to: dstMD, accumulate: false) : nil
    diffSrcToNHWC = key.winograd ? dnnl.reorderPrimitive(from: srcLowMD, to: srcMD, accumulate: false) : nil
  }

  private static let cache = PrimitiveCache<Key, ConvPrimitives>()

  /// The primitives of `key`; a Winograd key that this CPU cannot run gets (and caches) the direct ones.
  static func get(_ key: Key) -> ConvPrimitives {
    cache.get(key) { key, dnnl in
      if let prims = ConvPrimitives(key, dnnl) { return prims }
      var direct = key
      direct.winograd = false
      return ConvPrimitives(direct, dnnl)!
    }
  }

  static var cachedShapes: Int { cache.count }
}

/// Reusable scratch space keyed by purpose, grown on demand; valid only until the next call that uses
/// the same slot, which is why each op copies out what it must keep.
final class Scratch: @unchecked Sendable {
  private nonisolated(unsafe) static var slots: [Int: (UnsafeMutableRawPointer, Int)] = [:]

  static func get(_ slot: Int, bytes: Int) -> UnsafeMutableRawPointer {
    if let (p, size) = slots[slot], size >= bytes { return p }
    if let (p, _) = slots[slot] { free(p) }
    var raw: UnsafeMutableRawPointer?
    _ = posix_memalign(&raw, 64, max(64, bytes))
    slots[slot] = (raw!, bytes)
    return raw!
  }

  static let convWeights = 1, convDiffWeights = 2, convBwdWeights = 3, convDiffDstLow = 5
  static let convSrcBlocked = 6, convDstBlocked = 7, convDiffSrcBlocked = 8
}

#if canImport(Glibc)
import Glibc
#endif
