/// Primitives built for a shape, kept for the life of the process: oneDNN's own cache makes re-creation
/// cheap (~5 µs), but holding them skips even that and keeps the queried weight layouts and reorders.
final class PrimitiveCache<Key: Hashable, Value>: @unchecked Sendable {
  private var entries: [Key: Value] = [:]

  func get(_ key: Key, make: (Key, DNNL) -> Value) -> Value {
    let dnnl = DNNL.shared
    return dnnl.lock.with {
      if let v = entries[key] { return v }
      let v = make(key, dnnl)
      entries[key] = v
      return v
    }
  }

  var count: Int { DNNL.shared.lock.with { entries.count } }
}
