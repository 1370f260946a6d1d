/// An activation (or loss) in the autodiff graph: float32 values, plus a gradient that is allocated on
/// first use during backward. 4-D tensors are stored NHWC, 2-D ones row-major.
///
/// Tensors are created by ops on a `Tape`; model weights live in `Parameter`s instead, because they
/// outlive a step and may be used as slices.
public final class Tensor: @unchecked Sendable {
  public let shape: Shape
  public let data: UnsafeMutablePointer<Float>
  public private(set) var grad: UnsafeMutablePointer<Float>?
  /// False for inputs, labels-derived constants and detached copies: backward never writes their gradient.
  public let requiresGrad: Bool

  public init(shape: Shape, requiresGrad: Bool, zeroed: Bool = false) {
    self.shape = shape
    self.requiresGrad = requiresGrad
    data = zeroed ? Buffer.zeros(shape.count) : Buffer.allocate(shape.count)
  }

  /// A constant tensor (e.g. an input batch already in NHWC order).
  public convenience init(shape: Shape, values: [Float], requiresGrad: Bool = false) {
    precondition(values.count == shape.count, "values do not match shape \(shape)")
    self.init(shape: shape, requiresGrad: requiresGrad)
    values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: shape.count) }
  }

  deinit {
    Buffer.free(data)
    if let grad { Buffer.free(grad) }
  }

  public var count: Int { shape.count }
  public var values: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }
  public var gradValues: [Float]? { grad.map { Array(UnsafeBufferPointer(start: $0, count: count)) } }
  public var scalar: Float { data[0] }

  /// Gradient storage for an op's backward. The first writer may overwrite (`overwrite == true`), later
  /// ones must add: this saves a zero-fill and an add for the common single-consumer case.
  func gradForWriting() -> (pointer: UnsafeMutablePointer<Float>, overwrite: Bool) {
    if let grad { return (grad, false) }
    let g = Buffer.allocate(count)
    grad = g
    return (g, true)
  }

  /// Adds `src` into this tensor's gradient (allocating it as a copy the first time).
  func accumulateGrad(_ src: UnsafePointer<Float>) {
    let (g, overwrite) = gradForWriting()
    if overwrite { SumPrimitives.copy(src, into: g, count) } else { SumPrimitives.add(src, into: g, count) }
  }

  /// Passes `output`'s gradient on unchanged (a sum's backward): when this tensor has no gradient yet it takes
  /// over `output`'s buffer, which saves a copy of the whole gradient; otherwise it adds it in. Call it last
  /// among the consumers of `output.grad`: afterwards `output` has no gradient (backward frees nothing then).
  func accumulateGrad(takingFrom output: Tensor) {
    guard let dy = output.grad else { return }
    precondition(output.count == count, "gradient hand-over: \(output.shape) into \(shape)")
    guard requiresGrad else { return }
    if let grad { SumPrimitives.add(dy, into: grad, count); return }
    grad = dy
    output.grad = nil
  }

  /// Lets an op's backward write its gradient contribution into a buffer of `count` floats, which is then
  /// added to this tensor's gradient: the gradient itself for the first writer (no copy, no add), a
  /// temporary otherwise, or a throwaway buffer when this tensor takes no gradient (the op may still need
  /// to run for its parameters' gradients, as batch norm does).
  func accumulateGrad(writing body: (UnsafeMutablePointer<Float>) -> Void) {
    guard requiresGrad else {
      let scratch = Buffer.allocate(count)
      body(scratch)
      Buffer.free(scratch)
      return
    }
    let (g, overwrite) = gradForWriting()
    if overwrite { body(g); return }
    let tmp = Buffer.allocate(count)
    body(tmp)
    SumPrimitives.add(tmp, into: g, count)
    Buffer.free(tmp)
  }

  /// Sets the gradient to `value` everywhere (the seed of backward).
  func seedGrad(_ value: Float) {
    let (g, _) = gradForWriting()
    g.update(repeating: value, count: count)
  }

  /// Forgets the gradient (for inputs reused across several backward passes, e.g. in tests).
  public func clearGrad() {
    if let grad { Buffer.free(grad) }
    grad = nil
  }

  public func detached() -> Tensor {
    let t = Tensor(shape: shape, requiresGrad: false)
    t.data.update(from: data, count: count)
    return t
  }
}
