/// The paired sample sorted once, so each bootstrap resample is evaluated without sorting.
///
/// A resample is described by multiplicities w[i] (how often pair i was drawn). Every order a statistic needs
/// (by x then y, by y, by score descending) is the original order with items repeated w[i] times, so τ-b,
/// ρ, r and precision at top follow from weighted passes over the presorted indices: O(n log n) integer work
/// per resample instead of four comparison sorts. The values equal the generic path on the expanded resample
/// (τ exactly, the rest up to summation order).
struct PresortedPairs: Sendable {
  let x: [Double]
  let y: [Double]
  /// Indices sorted by (x, y) ascending.
  let byXY: [Int32]
  /// Indices sorted by y ascending.
  let byY: [Int32]
  let xDense: [Int32]
  let yDense: [Int32]
  let yLevels: Int
  /// False when any statistic is undefined whatever the resample (n < 2 or a NaN).
  let usable: Bool

  init(x: [Double], y: [Double]) {
    self.x = x
    self.y = y
    usable = PairedSample.isUsable(x, y)
    let n = x.count
    guard usable else {
      byXY = []; byY = []; xDense = []; yDense = []; yLevels = 0
      return
    }
    let xd = DenseRanks.of(x), yd = DenseRanks.of(y)
    xDense = xd
    yDense = yd
    yLevels = Int(yd.max() ?? 0) + 1
    byXY = (0..<n).sorted { xd[$0] < xd[$1] || (xd[$0] == xd[$1] && yd[$0] < yd[$1]) }.map { Int32($0) }
    byY = (0..<n).sorted { yd[$0] < yd[$1] }.map { Int32($0) }
  }

  /// Reusable per-worker buffers.
  struct Scratch {
    var fenwick: [Int64]
    var rankX: [Double]
    var rankY: [Double]
    var memberX: [Double]
    var memberY: [Double]

    init(n: Int, levels: Int) {
      fenwick = [Int64](repeating: 0, count: levels + 1)
      rankX = [Double](repeating: 0, count: n)
      rankY = rankX; memberX = rankX; memberY = rankX
    }
  }

  func makeScratch() -> Scratch { Scratch(n: x.count, levels: yLevels) }

  /// τ-b of the resample with multiplicities `w` (Σw = n).
  func tau(_ w: [Int32], _ scratch: inout Scratch) -> Double {
    guard usable else { return .nan }
    var counts = TieCounts()
    // Discordant pairs: for each item in (x, y) order, the weight already seen with a strictly larger y.
    // A Fenwick tree over dense y ranks holds the weights seen so far.
    for level in scratch.fenwick.indices { scratch.fenwick[level] = 0 }
    var seen: Int64 = 0
    var xRun: Int64 = 0, jointRun: Int64 = 0
    var previous: Int32 = -1
    for index in byXY {
      let i = Int(index)
      let weight = Int64(w[i])
      if weight == 0 { continue }
      if previous >= 0 && xDense[Int(previous)] == xDense[i] {
        xRun += weight
        if yDense[Int(previous)] == yDense[i] { jointRun += weight } else { counts.joint += pairs(jointRun); jointRun = weight }
      } else {
        counts.x += pairs(xRun); counts.joint += pairs(jointRun)
        xRun = weight; jointRun = weight
      }
      previous = index
      let level = Int(yDense[i]) + 1
      counts.discordant += weight * (seen - prefix(scratch.fenwick, level))
      add(&scratch.fenwick, level, weight)
      seen += weight
    }
    counts.x += pairs(xRun); counts.joint += pairs(jointRun)
    counts.y = groupPairs(byY, yDense, w)
    return counts.tau(n: Int(seen))
  }

  /// Pearson's r of the resample.
  func pearson(_ w: [Int32]) -> Double {
    guard usable else { return .nan }
    return weightedCorrelation(x, y, w)
  }

  /// Spearman's ρ of the resample: average ranks within the resample, then weighted Pearson.
  func spearman(_ w: [Int32], _ scratch: inout Scratch) -> Double {
    guard usable else { return .nan }
    averageRanks(byXY, xDense, w, into: &scratch.rankX)
    averageRanks(byY, yDense, w, into: &scratch.rankY)
    return weightedCorrelation(scratch.rankX, scratch.rankY, w)
  }

  /// Precision at top `percent` of the resample, with the same expected-value tie rule as `PrecisionAtTop`.
  func precision(_ w: [Int32], percent: Double, _ scratch: inout Scratch) -> Double {
    guard usable else { return .nan }
    let k = PrecisionAtTop.k(n: x.count, percent: percent)
    topMembership(byXY, xDense, w, k: k, into: &scratch.memberX)
    topMembership(byY, yDense, w, k: k, into: &scratch.memberY)
    var overlap = 0.0
    for i in w.indices where w[i] > 0 { overlap += Double(w[i]) * scratch.memberX[i] * scratch.memberY[i] }
    return overlap / Double(k)
  }

  // MARK: - weighted building blocks

  @inline(__always) private func pairs(_ k: Int64) -> Int64 { k * (k - 1) / 2 }

  @inline(__always) private func prefix(_ tree: [Int64], _ level: Int) -> Int64 {
    var sum: Int64 = 0, i = level
    while i > 0 { sum += tree[i]; i &= i - 1 }
    return sum
  }

  @inline(__always) private func add(_ tree: inout [Int64], _ level: Int, _ weight: Int64) {
    var i = level
    while i < tree.count { tree[i] += weight; i += i & -i }
  }

  /// Σ over groups of equal dense rank of pairs(total weight): the tie count of one variable.
  private func groupPairs(_ order: [Int32], _ dense: [Int32], _ w: [Int32]) -> Int64 {
    var total: Int64 = 0, run: Int64 = 0
    var level: Int32 = -1
    for index in order {
      let i = Int(index)
      if dense[i] != level { total += pairs(run); run = 0; level = dense[i] }
      run += Int64(w[i])
    }
    return total + pairs(run)
  }

  /// 1-based average ranks of each original item within the resample (copies share their group's rank).
  private func averageRanks(_ order: [Int32], _ dense: [Int32], _ w: [Int32], into ranks: inout [Double]) {
    var start = 0
    var before: Int64 = 0
    while start < order.count {
      var end = start, groupWeight: Int64 = 0
      let level = dense[Int(order[start])]
      while end < order.count && dense[Int(order[end])] == level { groupWeight += Int64(w[Int(order[end])]); end += 1 }
      let shared = Double(before) + Double(groupWeight + 1) / 2
      for position in start..<end { ranks[Int(order[position])] = shared }
      before += groupWeight
      start = end
    }
  }

  /// Probability of each item being in the resample's top k, walking groups from the highest score down.
  private func topMembership(_ order: [Int32], _ dense: [Int32], _ w: [Int32], k: Int, into member: inout [Double]) {
    var end = order.count
    var before: Int64 = 0
    while end > 0 {
      var start = end - 1, groupWeight = Int64(w[Int(order[start])])
      let level = dense[Int(order[start])]
      while start > 0 && dense[Int(order[start - 1])] == level { start -= 1; groupWeight += Int64(w[Int(order[start])]) }
      let left = Int64(k) - before
      let share = groupWeight == 0 || left <= 0 ? 0 : min(1, Double(left) / Double(groupWeight))
      for position in start..<end { member[Int(order[position])] = share }
      before += groupWeight
      end = start
    }
  }

  /// Weighted two-pass Pearson correlation over items with multiplicities `w`.
  private func weightedCorrelation(_ a: [Double], _ b: [Double], _ w: [Int32]) -> Double {
    var total = 0.0, sumA = 0.0, sumB = 0.0
    for i in w.indices where w[i] > 0 {
      let weight = Double(w[i])
      total += weight; sumA += weight * a[i]; sumB += weight * b[i]
    }
    let meanA = sumA / total, meanB = sumB / total
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for i in w.indices where w[i] > 0 {
      let weight = Double(w[i]), da = a[i] - meanA, db = b[i] - meanB
      sab += weight * da * db; saa += weight * da * da; sbb += weight * db * db
    }
    return Pearson.clampedCorrelation(sab, saa, sbb)
  }
}
