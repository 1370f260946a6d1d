/// Pearson's linear correlation (`scipy.stats.pearsonr`'s statistic).
public enum Pearson {
  /// r of two paired lists. NaN for n < 2, a NaN input, or a constant vector; throws on unequal lengths.
  public static func r(_ x: [Double], _ y: [Double]) throws -> Double {
    try PairedSample.checkLengths(x, y, "Pearson r")
    return unchecked(x, y)
  }

  static func unchecked(_ x: [Double], _ y: [Double]) -> Double {
    guard PairedSample.isUsable(x, y) else { return .nan }
    // Two passes (centre, then sum products) rather than the one-pass formula, which cancels
    // catastrophically for scores like accuracies that sit far from zero with small spread.
    let n = Double(x.count)
    var sumX = 0.0, sumY = 0.0
    for i in x.indices { sumX += x[i]; sumY += y[i] }
    let meanX = sumX / n, meanY = sumY / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
      let dx = x[i] - meanX, dy = y[i] - meanY
      sxy += dx * dy; sxx += dx * dx; syy += dy * dy
    }
    return clampedCorrelation(sxy, sxx, syy)
  }

  /// sxy / √(sxx·syy), NaN when either spread is zero, clamped to [−1, 1] against rounding.
  static func clampedCorrelation(_ sxy: Double, _ sxx: Double, _ syy: Double) -> Double {
    guard sxx > 0, syy > 0, sxx.isFinite, syy.isFinite else { return .nan }
    let r = sxy / (sxx.squareRoot() * syy.squareRoot())
    return r.isNaN ? r : min(1, max(-1, r))
  }
}

/// Spearman's rank correlation (`scipy.stats.spearmanr`): Pearson's r of the average ranks.
public enum Spearman {
  /// ρ of two paired lists. NaN for n < 2, a NaN input, or a constant vector; throws on unequal lengths.
  public static func rho(_ x: [Double], _ y: [Double]) throws -> Double {
    try PairedSample.checkLengths(x, y, "Spearman rho")
    return unchecked(x, y)
  }

  static func unchecked(_ x: [Double], _ y: [Double]) -> Double {
    guard PairedSample.isUsable(x, y) else { return .nan }
    return Pearson.unchecked(Ranks.average(x), Ranks.average(y))
  }
}
