import CDNNL

/// The one place rdnas talks to oneDNN's C API (2.x). Everything else uses the helpers here, so a move to
/// oneDNN 3.x (whose C API differs) touches this folder only.
///
/// oneDNN handles are not Sendable; rdnas confines all execution to one thread at a time (the trainer's
/// queue) and guards the caches with a lock, hence `@unchecked Sendable`.
public final class DNNL: @unchecked Sendable {
  public static let shared = DNNL()

  let engine: dnnl_engine_t
  let stream: dnnl_stream_t
  let lock = SpinLock()

  private init() {
    var e: dnnl_engine_t?
    dnnlCheck(dnnl_engine_create(&e, dnnl_cpu, 0), "engine_create")
    engine = e!
    var s: dnnl_stream_t?
    dnnlCheck(dnnl_stream_create(&s, engine, dnnl_stream_default_flags.rawValue), "stream_create")
    stream = s!
  }

  /// Sets the OpenMP thread count used by every primitive (libgomp reads OMP_NUM_THREADS only at load).
  public static func setThreads(_ n: Int) { omp_set_num_threads(Int32(max(1, n))) }
  public static var threads: Int { Int(omp_get_max_threads()) }

  func execute(_ p: dnnl_primitive_t, _ args: [(Int32, dnnl_memory_t)]) {
    let a = args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }
    dnnlCheck(dnnl_primitive_execute(p, stream, Int32(a.count), a), "primitive_execute")
    dnnlCheck(dnnl_stream_wait(stream), "stream_wait")
  }

  /// A memory object over caller-owned storage; destroy with `release`.
  func memory(_ md: dnnl_memory_desc_t, _ ptr: UnsafeMutableRawPointer?) -> dnnl_memory_t {
    var m: dnnl_memory_t?
    var d = md
    dnnlCheck(dnnl_memory_create(&m, &d, engine, ptr), "memory_create")
    return m!
  }

  func release(_ ms: dnnl_memory_t...) { for m in ms { dnnl_memory_destroy(m) } }

  func primitive(_ pd: dnnl_primitive_desc_t) -> dnnl_primitive_t {
    var p: dnnl_primitive_t?
    dnnlCheck(dnnl_primitive_create(&p, pd), "primitive_create")
    return p!
  }

  func primitiveDesc(_ opDesc: UnsafeRawPointer, attr: dnnl_primitive_attr_t? = nil,
                     hint: dnnl_primitive_desc_t? = nil, _ what: String) -> dnnl_primitive_desc_t {
    var pd: dnnl_primitive_desc_t?
    dnnlCheck(dnnl_primitive_desc_create(&pd, opDesc, attr, engine, hint), what)
    return pd!
  }

  /// As `primitiveDesc`, but the first implementation (in oneDNN's order of preference) whose name `avoid` does not
  /// reject; the preferred one when every implementation is rejected.
  func primitiveDesc(_ opDesc: UnsafeRawPointer, hint: dnnl_primitive_desc_t? = nil, avoiding avoid: (String) -> Bool,
                     _ what: String) -> dnnl_primitive_desc_t {
    var it: dnnl_primitive_desc_iterator_t?
    dnnlCheck(dnnl_primitive_desc_iterator_create(&it, opDesc, nil, engine, hint), what)
    defer { dnnl_primitive_desc_iterator_destroy(it) }
    repeat {
      guard let pd = dnnl_primitive_desc_iterator_fetch(it) else { break }
      if !avoid(Self.implementation(pd)) { return pd }
      dnnl_primitive_desc_destroy(pd)
    } while dnnl_primitive_desc_iterator_next(it) == dnnl_success
    return primitiveDesc(opDesc, hint: hint, what)
  }

  /// As `primitiveDesc`, but nil when oneDNN has no implementation (an optional algorithm on a CPU without it).
  func tryPrimitiveDesc(_ opDesc: UnsafeRawPointer, hint: dnnl_primitive_desc_t? = nil) -> dnnl_primitive_desc_t? {
    var pd: dnnl_primitive_desc_t?
    guard dnnl_primitive_desc_create(&pd, opDesc, nil, engine, hint) == dnnl_success else { return nil }
    return pd
  }

  func queryMD(_ pd: dnnl_primitive_desc_t, _ what: dnnl_query_t) -> dnnl_memory_desc_t {
    dnnl_primitive_desc_query_md(pd, what, 0)!.pointee
  }

  /// Name of the implementation oneDNN picked (e.g. `brgconv:avx512_core`); `ref:` means a slow path.
  static func implementation(_ pd: dnnl_primitive_desc_t) -> String {
    var s: UnsafePointer<CChar>?
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &s)
    return s.map { String(cString: $0) } ?? "?"
  }

  /// A reorder, optionally accumulating into the destination (`dst = src + dst`) through a sum post-op:
  /// this is how a weight-slice gradient lands in the full gradient tensor.
  func reorderPrimitive(from src: dnnl_memory_desc_t, to dst: dnnl_memory_desc_t, accumulate: Bool) -> dnnl_primitive_t {
    var s = src, d = dst
    var attr: dnnl_primitive_attr_t?
    if accumulate {
      dnnlCheck(dnnl_primitive_attr_create(&attr), "attr_create")
      var po: dnnl_post_ops_t?
      dnnlCheck(dnnl_post_ops_create(&po), "post_ops_create")
      dnnlCheck(dnnl_post_ops_append_sum(po, 1.0), "append_sum")
      dnnlCheck(dnnl_primitive_attr_set_post_ops(attr, po), "set_post_ops")
      dnnl_post_ops_destroy(po)
    }
    var pd: dnnl_primitive_desc_t?
    dnnlCheck(dnnl_reorder_primitive_desc_create(&pd, &s, engine, &d, engine, attr), "reorder_pd")
    if let attr { dnnl_primitive_attr_destroy(attr) }
    let p = primitive(pd!)
    dnnl_primitive_desc_destroy(pd)
    return p
  }
}

/// oneDNN failures here are programming errors (a shape we built wrongly), not user input.
@inline(__always)
func dnnlCheck(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
  if status != dnnl_success {
    fatalError("oneDNN \(what()) failed with status \(status.rawValue)")
  }
}

enum MD {
  static func tagged(_ dims: [Int], _ tag: dnnl_format_tag_t, _ type: dnnl_data_type_t = dnnl_f32) -> dnnl_memory_desc_t {
    var md = dnnl_memory_desc_t()
    let d = dims.map { Int64($0) }
    dnnlCheck(dnnl_memory_desc_init_by_tag(&md, Int32(d.count), d, type, tag), "md_by_tag \(dims)")
    return md
  }

  static func strided(_ dims: [Int], _ strides: [Int]) -> dnnl_memory_desc_t {
    var md = dnnl_memory_desc_t()
    let d = dims.map { Int64($0) }, s = strides.map { Int64($0) }
    dnnlCheck(dnnl_memory_desc_init_by_strides(&md, Int32(d.count), d, dnnl_f32, s), "md_by_strides \(dims)")
    return md
  }

  /// Activations are NHWC end to end: oneDNN's fast paths accept it, and a channel prefix is a strided view.
  static func nhwc(_ s: Shape, _ type: dnnl_data_type_t = dnnl_f32) -> dnnl_memory_desc_t {
    tagged([s.n, s.c, s.h, s.w], dnnl_nhwc, type)
  }
  static func flat(_ count: Int) -> dnnl_memory_desc_t { tagged([count], dnnl_a) }
  static func any(_ dims: [Int], _ type: dnnl_data_type_t = dnnl_f32) -> dnnl_memory_desc_t {
    tagged(dims, dnnl_format_tag_any, type)
  }

  static func size(_ md: dnnl_memory_desc_t) -> Int {
    var m = md
    return dnnl_memory_desc_get_size(&m)
  }
}

/// A tiny lock for the primitive caches (uncontended in practice: one trainer thread).
final class SpinLock: @unchecked Sendable {
  private var m = pthread_mutex_t()
  init() { pthread_mutex_init(&m, nil) }
  func with<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(&m); defer { pthread_mutex_unlock(&m) }
    return try body()
  }
}

#if canImport(Glibc)
import Glibc
#endif
