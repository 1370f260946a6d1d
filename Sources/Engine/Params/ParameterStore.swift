import Common

/// All parameters of one model, in creation order, addressed by PyTorch-style dotted names
/// (`layers.3.conv1.weight`). Many subnets share one store: a subnet is a choice of slices, not a copy.
public final class ParameterStore: @unchecked Sendable {
  public private(set) var all: [Parameter] = []
  private var byName: [String: Parameter] = [:]

  public init() {}

  @discardableResult
  public func add(_ p: Parameter) -> Parameter {
    precondition(byName[p.name] == nil, "duplicate parameter \(p.name)")
    all.append(p)
    byName[p.name] = p
    return p
  }

  public subscript(name: String) -> Parameter? { byName[name] }

  /// Trainable parameters (everything but running statistics).
  public var trainable: [Parameter] { all.filter { $0.kind != .buffer } }

  public func zeroGrad() { for p in all { p.zeroGrad() } }

  public var parameterCount: Int { trainable.reduce(0) { $0 + $1.count } }

  /// Global L2 norm of all gradients (used for clipping and the non-finite guard).
  public func gradNorm() -> Double {
    var s = 0.0
    for p in trainable where p.touched { s += Vec.sumSquares(p.grad, p.count) }
    return s.squareRoot()
  }

  /// Name of the first parameter whose gradient is not finite, if any.
  public func firstNonFiniteGrad() -> String? {
    trainable.first { $0.touched && !Vec.allFinite($0.grad, $0.count) }?.name
  }

  public func firstNonFiniteValue() -> String? {
    all.first { !Vec.allFinite($0.value, $0.count) }?.name
  }
}
