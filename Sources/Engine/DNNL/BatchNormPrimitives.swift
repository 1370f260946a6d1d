import CDNNL

/// Cached oneDNN batch-norm forward/backward for one (shape, affine, mode, fused ReLU). With `fuseReLU`
/// the forward also applies ReLU and leaves a bit-mask workspace that the backward uses to zero the
/// gradient where the output was clipped: one pass over memory instead of three.
final class BatchNormPrimitives: @unchecked Sendable {
  struct Key: Hashable {
    let n: Int, c: Int, h: Int, w: Int
    let affine: Bool, globalStats: Bool
    var fuseReLU = false
  }

  let forward: dnnl_primitive_t
  let backward: dnnl_primitive_t
  let dataMD: dnnl_memory_desc_t
  let statMD: dnnl_memory_desc_t
  /// The ReLU mask's layout (nil without `fuseReLU`).
  let workspaceMD: dnnl_memory_desc_t?

  init(_ key: Key, _ dnnl: DNNL) {
    dataMD = MD.nhwc(Shape(key.n, key.c, key.h, key.w))
    statMD = MD.flat(key.c)
    var flags: UInt32 = 0
    if key.affine { flags |= dnnl_use_scale.rawValue | dnnl_use_shift.rawValue }
    if key.globalStats { flags |= dnnl_use_global_stats.rawValue }
    if key.fuseReLU { flags |= dnnl_fuse_norm_relu.rawValue }
    var data = dataMD
    var fd = dnnl_batch_normalization_desc_t()
    dnnlCheck(dnnl_batch_normalization_forward_desc_init(&fd, dnnl_forward_training, &data, 1e-5, flags), "bn fwd")
    let fpd = dnnl.primitiveDesc(&fd, "bn fwd pd")
    var bd = dnnl_batch_normalization_desc_t()
    let prop = key.affine ? dnnl_backward : dnnl_backward_data
    dnnlCheck(dnnl_batch_normalization_backward_desc_init(&bd, prop, &data, &data, 1e-5, flags), "bn bwd")
    let bpd = dnnl.primitiveDesc(&bd, hint: fpd, "bn bwd pd")
    workspaceMD = key.fuseReLU ? dnnl.queryMD(fpd, dnnl_query_workspace_md) : nil
    forward = dnnl.primitive(fpd)
    backward = dnnl.primitive(bpd)
    dnnl_primitive_desc_destroy(fpd)
    dnnl_primitive_desc_destroy(bpd)
  }

  private static let cache = PrimitiveCache<Key, BatchNormPrimitives>()

  static func get(_ key: Key) -> BatchNormPrimitives { cache.get(key) { BatchNormPrimitives($0, $1) } }
}
