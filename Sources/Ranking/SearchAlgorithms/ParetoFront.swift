/// The architectures no other evaluated one beats on both cost and score: for each, every cheaper-or-equal
/// architecture scores lower. Sorted by cost, so the score rises along the front.
public enum ParetoFront {
  /// Indices into `points` (cost to minimise, score to maximise) of the non-dominated ones, by cost.
  public static func indices(cost: [Double], score: [Double]) -> [Int] {
    let order = cost.indices.sorted { cost[$0] != cost[$1] ? cost[$0] < cost[$1] : score[$0] > score[$1] }
    var front = [Int](), best = -Double.infinity
    for i in order where score[i] > best {
      front.append(i); best = score[i]
    }
    return front
  }

  public static func of(_ evaluated: [EvaluatedArchitecture]) -> [EvaluatedArchitecture] {
    indices(cost: evaluated.map(\.flops), score: evaluated.map(\.score)).map { evaluated[$0] }
  }
}
