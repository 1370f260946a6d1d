import Common
import Search

/// One forward/backward pass of a training step.
public struct SampledPath: Sendable, Equatable {
  public enum Role: String, Sendable { case largest, smallest, random, spos, fair }
  public var role: Role
  public var arch: Encoding
  /// True when the loss is distillation from the step's largest path (sandwich rule) rather than CE.
  public var distilled: Bool
}

/// Chooses the subnets of each step. Stateless apart from the random source the trainer passes in (and
/// saves in checkpoints), so a resumed run samples exactly what a straight run would.
public struct PathSampler: Sendable {
  public let space: any SearchSpace
  public let strategy: TrainingConfig.Strategy
  public let paths: Int
  /// Total epochs, for progressive shrinking's phase boundaries.
  public let epochs: Int

  public init(space: any SearchSpace, strategy: TrainingConfig.Strategy, paths: Int, epochs: Int) {
    self.space = space
    self.strategy = strategy
    self.paths = paths
    self.epochs = epochs
  }

  public func paths(epoch: Int, rng: inout RandomSource) -> [SampledPath] {
    switch strategy {
    case .spos:
      return (0..<paths).map { _ in SampledPath(role: .spos, arch: space.sample(using: &rng), distilled: false) }
    case .sandwich:
      var out = [SampledPath(role: .largest, arch: space.largest, distilled: false),
                 SampledPath(role: .smallest, arch: space.smallest, distilled: true)]
      for _ in 0..<max(0, paths - 2) {
        out.append(SampledPath(role: .random, arch: space.sample(using: &rng), distilled: true))
      }
      return out
    case .fairnas:
      return FairSampler(space: space).group(rng: &rng).map { SampledPath(role: .fair, arch: $0, distilled: false) }
    case .ofa:
      let shrink = ProgressiveShrinking(space: space as! ResNetSpace, epochs: epochs)
      return (0..<paths).map { _ in
        SampledPath(role: .random, arch: shrink.sample(epoch: epoch, rng: &rng), distilled: false)
      }
    }
  }
}
