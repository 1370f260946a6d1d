/// The parameters of one supernet-sized batch norm: γ and β (absent when non-affine) and the running
/// statistics, all of length C_max. A forward over C ≤ C_max channels uses (and updates) the prefix [0, C):
/// one shared set of statistics for all subnets, as in the reference.
public struct BatchNormParams: @unchecked Sendable {
  public let gamma: Parameter?
  public let beta: Parameter?
  public let runningMean: Parameter
  public let runningVar: Parameter
  public let momentum: Float
  public let epsilon: Float

  public var channels: Int { runningMean.count }
  public var affine: Bool { gamma != nil }

  /// Creates and registers `prefix.weight`, `prefix.bias`, `prefix.running_mean`, `prefix.running_var`
  /// (PyTorch's names), γ = 1, β = 0, mean 0, var 1.
  public init(_ prefix: String, channels: Int, affine: Bool = true, momentum: Float = 0.1, epsilon: Float = 1e-5,
              in store: ParameterStore) {
    gamma = affine ? store.add(Parameter(name: "\(prefix).weight", shape: [channels], kind: .normScale, fill: 1)) : nil
    beta = affine ? store.add(Parameter(name: "\(prefix).bias", shape: [channels], kind: .bias, fill: 0)) : nil
    runningMean = store.add(Parameter(name: "\(prefix).running_mean", shape: [channels], kind: .buffer, fill: 0))
    runningVar = store.add(Parameter(name: "\(prefix).running_var", shape: [channels], kind: .buffer, fill: 1))
    self.momentum = momentum
    self.epsilon = epsilon
  }
}
