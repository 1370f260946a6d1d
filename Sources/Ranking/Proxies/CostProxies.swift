import Common
import Search

/// FLOPs (multiply-accumulates by the space's convention) from the space's analytic formula; no network.
public struct FLOPsProxy: ZeroCostProxy {
  public init() {}
  public var name: String { "flops" }
  public var isDataDependent: Bool { false }
  public func score(arch: Encoding, space: any SearchSpace, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    try space.validate(arch)
    return space.flops(arch)
  }
}

/// Learnable parameter count from the space's analytic formula; no network.
public struct ParamsProxy: ZeroCostProxy {
  public init() {}
  public var name: String { "params" }
  public var isDataDependent: Bool { false }
  public func score(arch: Encoding, space: any SearchSpace, batch: ProxyBatch?, seed: UInt64) throws -> Double {
    try space.validate(arch)
    return Double(space.params(arch))
  }
}
