import Common

/// Precision at the top: of the k candidates a predictor ranks highest, the fraction that are truly in the top k.
/// This is the question a search actually asks (is the winner among my picks?), which τ and ρ average away.
public enum PrecisionAtTop {
  /// |top-k by `predicted` ∩ top-k by `truth`| / k, with k = max(1, round(n·percent/100)), rounding halves
  /// away from zero (so 10 % of 15 is 2).
  ///
  /// Ties: when a group of equal scores straddles the cut, each member counts as the fraction of the group
  /// that fits (slots left / group size). The result is the mean precision over all ways of breaking the ties,
  /// so it does not depend on input order, and it is the plain count when there are no ties. A constant
  /// predictor therefore scores k/n, the random baseline, instead of NaN.
  ///
  /// NaN for n < 2 or a NaN input; throws on unequal lengths or a percent outside (0, 100].
  public static func fraction(_ predicted: [Double], _ truth: [Double], percent: Double) throws -> Double {
    try PairedSample.checkLengths(predicted, truth, "precision at top")
    try checkPercent(percent)
    return unchecked(predicted, truth, percent: percent)
  }

  /// The k used for `n` items at `percent`.
  public static func k(n: Int, percent: Double) -> Int {
    min(n, max(1, Int((Double(n) * percent / 100).rounded())))
  }

  static func checkPercent(_ percent: Double) throws {
    guard percent > 0 && percent <= 100 else {
      throw RDNASError.badInput("precision at top: percent must be in (0, 100], got \(percent)")
    }
  }

  static func unchecked(_ predicted: [Double], _ truth: [Double], percent: Double) -> Double {
    guard PairedSample.isUsable(predicted, truth) else { return .nan }
    let k = k(n: predicted.count, percent: percent)
    let inPredicted = membership(predicted, k: k)
    let inTruth = membership(truth, k: k)
    var overlap = 0.0
    for i in predicted.indices { overlap += inPredicted[i] * inTruth[i] }
    return overlap / Double(k)
  }

  /// Per item, the probability it is among the k highest when ties are broken uniformly at random.
  static func membership(_ scores: [Double], k: Int) -> [Double] {
    let order = (0..<scores.count).sorted { scores[$0] > scores[$1] }
    var member = [Double](repeating: 0, count: scores.count)
    var start = 0
    while start < order.count && start < k {
      var end = start + 1
      while end < order.count && scores[order[end]] == scores[order[start]] { end += 1 }
      let share = Double(min(end, k) - start) / Double(end - start)
      for position in start..<end { member[order[position]] = share }
      start = end
    }
    return member
  }
}
