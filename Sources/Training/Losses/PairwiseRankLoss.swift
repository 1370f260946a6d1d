import Engine

/// The ranking-distillation hinge (method doc §2.3) for a pair (a, b) evaluated on the same batch, with
/// priors k_a, k_b from a zero-cost proxy (higher = predicted better):
///   k_a < k_b: R = relu(ℓ_b − sg(ℓ_a) + m)   (b should have the lower loss)
///   otherwise: R = relu(sg(ℓ_a) − ℓ_b + m)   (the reference's form: b's loss pushed up to a's)
/// One-sided as in the reference (gradient reaches b only). The symmetric variant, a deliberate option,
/// lets both losses receive gradient: relu(ℓ_better − ℓ_worse + m) with neither detached.
public enum PairwiseRankLoss {
  public static func hinge(_ t: Tape, lossA: Tensor, lossB: Tensor, priorA: Double, priorB: Double,
                           margin: Double, symmetric: Bool) -> Tensor {
    if symmetric {
      let (better, worse) = priorA < priorB ? (lossB, lossA) : (lossA, lossB)
      return t.relu(t.shift(t.subtract(better, worse), Float(margin)))
    }
    let a = t.stopGradient(lossA)
    let diff = priorA < priorB ? t.subtract(lossB, a) : t.subtract(a, lossB)
    return t.relu(t.shift(diff, Float(margin)))
  }

  /// Whether the losses already agree with the prior order (the higher prior has the lower loss).
  public static func concordant(lossA: Double, lossB: Double, priorA: Double, priorB: Double) -> Bool {
    if priorA == priorB { return true }
    return (priorA < priorB) == (lossB < lossA)
  }
}
