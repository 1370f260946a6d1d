import CDNNL

/// Element-wise sums of flat float buffers on oneDNN's OpenMP team: `dst = Σ srcs` (a node sum, an add) and
/// `dst += src` (gradient accumulation), and copies. The SIMD loops in `Vec` run on the calling thread only, so
/// with two threads the NB201 step's sums and gradient accumulations (about a tenth of it) left a core idle;
/// oneDNN's sum primitive splits them over the same threads its convolutions use (no second thread pool to
/// oversubscribe the cores). Below `minCount` floats, or on one thread, the `Vec` loops are used: there the
/// primitive's memory objects cost more than they save.
final class SumPrimitives: @unchecked Sendable {
  struct Key: Hashable { let count: Int, sources: Int }
  let primitive: dnnl_primitive_t
  let md: dnnl_memory_desc_t

  init(_ key: Key, _ dnnl: DNNL) {
    var dst = MD.flat(key.count)
    md = dst
    if key.sources == 1 {
      primitive = dnnl.reorderPrimitive(from: dst, to: dst, accumulate: false)
      return
    }
    let srcs = [dnnl_memory_desc_t](repeating: dst, count: key.sources)
    let scales = [Float](repeating: 1, count: key.sources)
    var pd: dnnl_primitive_desc_t?
    dnnlCheck(dnnl_sum_primitive_desc_create(&pd, &dst, Int32(key.sources), scales, srcs, nil, dnnl.engine),
              "sum_pd \(key)")
    primitive = dnnl.primitive(pd!)
    dnnl_primitive_desc_destroy(pd)
  }

  private static let cache = PrimitiveCache<Key, SumPrimitives>()

  /// 64 Ki floats (256 KiB): an NB201 C=16 activation at batch 64 is 1 Mi floats, a per-channel vector is tiny.
  static let minCount = 1 << 16

  static func parallel(_ count: Int) -> Bool { count >= minCount && DNNL.threads > 1 }

  /// dst = a + b.
  static func sum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ count: Int) {
    if parallel(count) { run([a, b], into: dst, count) } else { Vec.sum(a, b, into: dst, count) }
  }

  /// dst = Σ srcs, three or more.
  static func sum(_ srcs: [UnsafePointer<Float>], into dst: UnsafeMutablePointer<Float>, _ count: Int) {
    if parallel(count) { run(srcs, into: dst, count) } else { Vec.sum(srcs, into: dst, count) }
  }

  /// dst += src.
  static func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ count: Int) {
    if parallel(count) { run([UnsafePointer(dst), src], into: dst, count) } else { Vec.add(src, into: dst, count) }
  }

  /// dst = src.
  static func copy(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ count: Int) {
    if parallel(count) { run([src], into: dst, count) } else { dst.update(from: src, count: count) }
  }

  /// dst = Σ srcs on the OpenMP team (one source: a copy). `dst` may be `srcs[0]`, never a later source:
  /// oneDNN's sum runs in place only on its first source.
  private static func run(_ srcs: [UnsafePointer<Float>], into dst: UnsafeMutablePointer<Float>, _ count: Int) {
    precondition(!srcs.dropFirst().contains { $0 == UnsafePointer(dst) }, "sum: dst may alias the first source only")
    let prims = cache.get(Key(count: count, sources: srcs.count)) { SumPrimitives($0, $1) }
    let dnnl = DNNL.shared
    let ins = srcs.map { dnnl.memory(prims.md, UnsafeMutableRawPointer(mutating: $0)) }
    let out = dnnl.memory(prims.md, dst)
    if srcs.count == 1 {
      dnnl.execute(prims.primitive, [(DNNL_ARG_FROM, ins[0]), (DNNL_ARG_TO, out)])
    } else {
      dnnl.execute(prims.primitive, ins.enumerated().map { (DNNL_ARG_MULTIPLE_SRC + Int32($0.offset), $0.element) }
                   + [(DNNL_ARG_DST, out)])
    }
    for m in ins { dnnl.release(m) }
    dnnl.release(out)
  }
}
