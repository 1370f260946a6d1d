import CDNNL

/// Everything oneDNN needs for one convolution shape, created once and cached: forward, backward-data and
/// backward-weights primitives, the weight layouts each one chose (`format_tag_any`), and the reorders
/// between those layouts and the weight-sharing slice `W[:cout, :cin]` of the full OIHW master tensor.
///
/// With `bf16`, the convolution reads bf16 activations and weights and writes fp32 (its output, the input
/// gradient and the weight gradient): tensors stay fp32 everywhere else, so only the conv's two inputs are
/// converted (`srcToLow`, `dstToLow`) and the fp32 masters are rounded by the weight reorders themselves.
final class ConvPrimitives: @unchecked Sendable {
  struct Key: Hashable {
    let n: Int, cin: Int, h: Int, w: Int, cout: Int, k: Int, stride: Int, pad: Int
    /// Row pitch of the full master weight (its Cin_max): the slice is a strided view of it.
    let cinMax: Int
    var bf16 = false
  }

  let key: Key
  let ho: Int, wo: Int
  let forward: dnnl_primitive_t
  let backwardData: dnnl_primitive_t
  let backwardWeights: dnnl_primitive_t
  let fwdWeightsMD: dnnl_memory_desc_t, bwdDataWeightsMD: dnnl_memory_desc_t, diffWeightsMD: dnnl_memory_desc_t
  let sliceMD: dnnl_memory_desc_t
  let srcMD: dnnl_memory_desc_t, dstMD: dnnl_memory_desc_t
  /// What the primitives read for src and diff_dst: `srcMD`/`dstMD` in fp32, their bf16 twins otherwise.
  let srcLowMD: dnnl_memory_desc_t, dstLowMD: dnnl_memory_desc_t
  /// fp32 → bf16 conversions of the conv's activation inputs (nil in fp32).
  let srcToLow: dnnl_primitive_t?, dstToLow: dnnl_primitive_t?
  let sliceToFwd: dnnl_primitive_t, sliceToBwdData: dnnl_primitive_t, diffToSliceAccumulate: dnnl_primitive_t
  let implementation: String

  init(_ key: Key, _ dnnl: DNNL) {
    self.key = key
    ho = (key.h + 2 * key.pad - key.k) / key.stride + 1
    wo = (key.w + 2 * key.pad - key.k) / key.stride + 1
    srcMD = MD.nhwc(Shape(key.n, key.cin, key.h, key.w))
    dstMD = MD.nhwc(Shape(key.n, key.cout, ho, wo))
    let low = key.bf16 ? dnnl_bf16 : dnnl_f32
    srcLowMD = MD.nhwc(Shape(key.n, key.cin, key.h, key.w), low)
    dstLowMD = MD.nhwc(Shape(key.n, key.cout, ho, wo), low)
    let wDims = [key.cout, key.cin, key.k, key.k]
    var anyW = MD.any(wDims, low), anyDiffW = MD.any(wDims)
    var src = srcMD, dst = dstMD, srcLow = srcLowMD, dstLow = dstLowMD
    let strides: [Int64] = [Int64(key.stride), Int64(key.stride)]
    let pads: [Int64] = [Int64(key.pad), Int64(key.pad)]

    var fd = dnnl_convolution_desc_t()
    dnnlCheck(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct,
                                                 &srcLow, &anyW, nil, &dst, strides, pads, pads), "conv fwd desc")
    let fpd = dnnl.primitiveDesc(&fd, "conv fwd pd")
    var bd = dnnl_convolution_desc_t()
    dnnlCheck(dnnl_convolution_backward_data_desc_init(&bd, dnnl_convolution_direct, &src, &anyW, &dstLow,
                                                       strides, pads, pads), "conv bwd-data desc")
    let bpd = dnnl.primitiveDesc(&bd, hint: fpd, "conv bwd-data pd")
    var wd = dnnl_convolution_desc_t()
    dnnlCheck(dnnl_convolution_backward_weights_desc_init(&wd, dnnl_convolution_direct, &srcLow, &anyDiffW, nil,
                                                          &dstLow,
                                                          strides, pads, pads), "conv bwd-weights desc")
    let wpd = dnnl.primitiveDesc(&wd, hint: fpd, "conv bwd-weights pd")

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
    srcToLow = key.bf16 ? dnnl.reorderPrimitive(from: srcMD, to: srcLowMD, accumulate: false) : nil
    dstToLow = key.bf16 ? dnnl.reorderPrimitive(from: dstMD, to: dstLowMD, accumulate: false) : nil
  }

  private static let cache = PrimitiveCache<Key, ConvPrimitives>()

  static func get(_ key: Key) -> ConvPrimitives { cache.get(key) { ConvPrimitives($0, $1) } }

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
}

#if canImport(Glibc)
import Glibc
#endif
