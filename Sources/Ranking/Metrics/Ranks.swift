/// Rank transforms shared by Spearman's ρ, the bootstrap and the rank-vs-rank plot.
public enum Ranks {
  /// 1-based ranks, ascending, with tied values all given the mean of the positions they occupy
  /// (`scipy.stats.rankdata(method="average")`). Ties must share a rank or ρ would depend on input order.
  /// A NaN anywhere makes every rank NaN, as scipy's default NaN policy does.
  public static func average(_ values: [Double]) -> [Double] {
    let n = values.count
    if values.contains(where: \.isNaN) { return [Double](repeating: .nan, count: n) }
    let order = (0..<n).sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: n)
    var start = 0
    while start < n {
      var end = start + 1
      while end < n && values[order[end]] == values[order[start]] { end += 1 }
      // Positions start..<end (0-based) share the mean 1-based position.
      let shared = Double(start + end + 1) / 2
      for position in start..<end { ranks[order[position]] = shared }
      start = end
    }
    return ranks
  }

  /// Rank positions where 1 is the highest score (ties averaged): the axis of the reference's scatter plot.
  public static func descending(_ values: [Double]) -> [Double] {
    let ascending = average(values)
    let top = Double(values.count) + 1
    return ascending.map { top - $0 }
  }
}
