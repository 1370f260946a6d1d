#if canImport(Glibc)
import Glibc
#endif

/// Learning rate as a function of the global step, evaluated every step (so warm-up is smooth and a
/// resumed run continues on the same curve).
public enum LRSchedule: Codable, Sendable, Equatable {
  /// Linear warm-up from 0 over `warmupSteps`, then cosine from `base` to `minimum` at `totalSteps`.
  case warmupCosine(base: Float, warmupSteps: Int, totalSteps: Int, minimum: Float)
  case constant(Float)
  /// `base · gamma^k` after the k-th milestone step.
  case step(base: Float, milestones: [Int], gamma: Float)

  public func lr(at step: Int) -> Float {
    switch self {
    case let .constant(v):
      return v
    case let .step(base, milestones, gamma):
      return base * powf(gamma, Float(milestones.filter { step >= $0 }.count))
    case let .warmupCosine(base, warmup, total, minimum):
      if step < warmup { return base * Float(step + 1) / Float(warmup) }
      let span = max(1, total - warmup)
      let t = min(1, Float(step - warmup) / Float(span))
      return minimum + (base - minimum) * 0.5 * (1 + cosf(Float.pi * t))
    }
  }
}
