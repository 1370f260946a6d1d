import CDNNL

/// Cached forward/backward pairs for primitives with one data input: eltwise and pooling.
final class PairPrimitives: @unchecked Sendable {
  enum Kind: Hashable {
    case eltwise(alg: UInt32, alpha: Float)
    /// Average pooling; `excludePadding` is PyTorch's count_include_pad=false.
    case avgPool(kernel: Int, stride: Int, pad: Int, excludePadding: Bool)
  }

  struct Key: Hashable {
    let kind: Kind
    let n: Int, c: Int, h: Int, w: Int
  }

  let forward: dnnl_primitive_t
  let backward: dnnl_primitive_t
  let srcMD: dnnl_memory_desc_t
  let dstMD: dnnl_memory_desc_t
  let outShape: Shape

  init(_ key: Key, _ dnnl: DNNL) {
    switch key.kind {
    case let .eltwise(alg, alpha):
      // Shape does not matter to an eltwise op: treat the tensor as flat.
      let count = key.n * key.c * key.h * key.w
      var md = MD.flat(count)
      srcMD = md; dstMD = md
      outShape = Shape(key.n, key.c, key.h, key.w)
      let a = dnnl_alg_kind_t(alg)
      var fd = dnnl_eltwise_desc_t()
      dnnlCheck(dnnl_eltwise_forward_desc_init(&fd, dnnl_forward_training, a, &md, alpha, 0), "eltwise fwd")
      let fpd = dnnl.primitiveDesc(&fd, "eltwise fwd pd")
      var bd = dnnl_eltwise_desc_t()
      dnnlCheck(dnnl_eltwise_backward_desc_init(&bd, a, &md, &md, alpha, 0), "eltwise bwd")
      let bpd = dnnl.primitiveDesc(&bd, hint: fpd, "eltwise bwd pd")
      forward = dnnl.primitive(fpd); backward = dnnl.primitive(bpd)
      dnnl_primitive_desc_destroy(fpd); dnnl_primitive_desc_destroy(bpd)
    case let .avgPool(k, stride, pad, exclude):
      let ho = (key.h + 2 * pad - k) / stride + 1, wo = (key.w + 2 * pad - k) / stride + 1
      outShape = Shape(key.n, key.c, ho, wo)
      var src = MD.nhwc(Shape(key.n, key.c, key.h, key.w)), dst = MD.nhwc(outShape)
      srcMD = src; dstMD = dst
      let alg = exclude ? dnnl_pooling_avg_exclude_padding : dnnl_pooling_avg_include_padding
      let st: [Int64] = [Int64(stride), Int64(stride)], kk: [Int64] = [Int64(k), Int64(k)]
      let dil: [Int64] = [0, 0], p: [Int64] = [Int64(pad), Int64(pad)]
      var fd = dnnl_pooling_v2_desc_t()
      dnnlCheck(dnnl_pooling_v2_forward_desc_init(&fd, dnnl_forward_training, alg, &src, &dst, st, kk, dil, p, p),
                "pool fwd")
      let fpd = dnnl.primitiveDesc(&fd, "pool fwd pd")
      var bd = dnnl_pooling_v2_desc_t()
      dnnlCheck(dnnl_pooling_v2_backward_desc_init(&bd, alg, &src, &dst, st, kk, dil, p, p), "pool bwd")
      let bpd = dnnl.primitiveDesc(&bd, hint: fpd, "pool bwd pd")
      forward = dnnl.primitive(fpd); backward = dnnl.primitive(bpd)
      dnnl_primitive_desc_destroy(fpd); dnnl_primitive_desc_destroy(bpd)
    }
  }

  private static let cache = PrimitiveCache<Key, PairPrimitives>()

  static func get(_ key: Key) -> PairPrimitives { cache.get(key) { PairPrimitives($0, $1) } }
}

extension Tape {
  /// Runs a cached forward/backward pair whose backward needs (src, diff_dst) → diff_src.
  func pair(_ name: String, _ x: Tensor, _ kind: PairPrimitives.Kind) -> Tensor {
    let s = x.shape.rank == 4 ? x.shape : Shape(x.shape.n, x.shape.c, 1, 1)
    let prims = PairPrimitives.get(.init(kind: kind, n: s.n, c: s.c, h: s.h, w: s.w))
    let dnnl = DNNL.shared
    let outShape = x.shape.rank == 4 ? prims.outShape : x.shape
    let y = Tensor(shape: outShape, requiresGrad: x.requiresGrad)
    let src = dnnl.memory(prims.srcMD, x.data), dst = dnnl.memory(prims.dstMD, y.data)
    dnnl.execute(prims.forward, [(DNNL_ARG_SRC, src), (DNNL_ARG_DST, dst)])
    dnnl.release(src, dst)
    record(name, y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      let srcMem = dnnl.memory(prims.srcMD, x.data), dyMem = dnnl.memory(prims.dstMD, dy)
      x.accumulateGrad { dx in
        let dxMem = dnnl.memory(prims.srcMD, dx)
        dnnl.execute(prims.backward, [(DNNL_ARG_SRC, srcMem), (DNNL_ARG_DIFF_DST, dyMem), (DNNL_ARG_DIFF_SRC, dxMem)])
        dnnl.release(dxMem)
      }
      dnnl.release(srcMem, dyMem)
    }
    return y
  }
}
