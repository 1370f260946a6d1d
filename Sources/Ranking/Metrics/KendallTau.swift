/// Kendall's τ-b, the rank-agreement number the reference reports (`scipy.stats.kendalltau`).
public enum KendallTau {
  /// τ-b of two paired score lists, by Knight's O(n log n) algorithm.
  ///
  /// Pairs are sorted by (x, y); then every discordant pair is an inversion of the y sequence, counted
  /// while merge-sorting it. Tie counts come from runs in the same sorted orders. The final arithmetic
  /// is scipy's, term for term, so results agree to the last few ulps:
  /// `τ = (tot − xtie − ytie + ntie − 2·dis) / √(tot − xtie) / √(tot − ytie)`.
  ///
  /// Returns NaN for n < 2, any NaN input, or a constant vector; throws `badInput` on unequal lengths.
  public static func tauB(_ x: [Double], _ y: [Double]) throws -> Double {
    try PairedSample.checkLengths(x, y, "Kendall tau")
    return unchecked(x, y)
  }

  /// τ-b without the length check, for callers that already validated (bootstrap, reports).
  static func unchecked(_ x: [Double], _ y: [Double]) -> Double {
    guard PairedSample.isUsable(x, y) else { return .nan }
    let n = x.count
    // y as dense integer ranks, so the merge sort below compares small integers.
    let yDense = DenseRanks.of(y)
    var order = Array(0..<n)
    order.sort { a, b in x[a] < x[b] || (x[a] == x[b] && yDense[a] < yDense[b]) }

    var counts = TieCounts()
    var sequence = [Int32](repeating: 0, count: n)
    var xRun = 1, jointRun = 1
    for position in 0..<n {
      let i = order[position]
      sequence[position] = yDense[i]
      guard position > 0 else { continue }
      let previous = order[position - 1]
      if x[previous] == x[i] {
        xRun += 1
        if yDense[previous] == yDense[i] { jointRun += 1 } else { counts.joint += pairs(jointRun); jointRun = 1 }
      } else {
        counts.x += pairs(xRun); counts.joint += pairs(jointRun)
        xRun = 1; jointRun = 1
      }
    }
    counts.x += pairs(xRun); counts.joint += pairs(jointRun)
    counts.y = yTies(yDense)
    counts.discordant = Inversions.countSorting(&sequence)
    return counts.tau(n: n)
  }

  /// Number of unordered pairs in a run of `k` equal values.
  @inline(__always) static func pairs(_ k: Int) -> Int64 { Int64(k) * Int64(k - 1) / 2 }

  private static func yTies(_ dense: [Int32]) -> Int64 {
    var runs = [Int](repeating: 0, count: dense.count + 1)
    for d in dense { runs[Int(d)] += 1 }
    return runs.reduce(Int64(0)) { $0 + pairs($1) }
  }
}

/// The integer pair counts τ-b is made of; kept as Int64 so the formula is exact until the last division.
struct TieCounts {
  var x: Int64 = 0
  var y: Int64 = 0
  var joint: Int64 = 0
  var discordant: Int64 = 0

  func tau(n: Int) -> Double {
    let total = Int64(n) * Int64(n - 1) / 2
    let concordantMinusDiscordant = total - x - y + joint - 2 * discordant
    let tau = Double(concordantMinusDiscordant) / Double(total - x).squareRoot()
      / Double(total - y).squareRoot()
    return tau.isNaN ? tau : min(1, max(-1, tau))
  }
}

/// Dense ranks (0, 1, 2, … with equal values sharing one rank), the integer form τ-b needs.
enum DenseRanks {
  static func of(_ values: [Double]) -> [Int32] {
    let order = (0..<values.count).sorted { values[$0] < values[$1] }
    var dense = [Int32](repeating: 0, count: values.count)
    var rank: Int32 = 0
    for position in order.indices {
      if position > 0 && values[order[position]] != values[order[position - 1]] { rank += 1 }
      dense[order[position]] = rank
    }
    return dense
  }
}

/// Counting strict inversions (i < j, a[i] > a[j]) by merge sort: the discordant-pair count of τ-b.
enum Inversions {
  /// Sorts `values` ascending and returns how many strict inversions it had.
  static func countSorting(_ values: inout [Int32]) -> Int64 {
    let n = values.count
    guard n > 1 else { return 0 }
    var buffer = [Int32](repeating: 0, count: n)
    var inversions: Int64 = 0
    values.withUnsafeMutableBufferPointer { a in
      buffer.withUnsafeMutableBufferPointer { b in
        var source = a, target = b
        var width = 1
        // Bottom-up: no recursion, and small runs are merged in cache.
        while width < n {
          var start = 0
          while start < n {
            let mid = min(start + width, n), end = min(start + 2 * width, n)
            var i = start, j = mid, k = start
            while i < mid && j < end {
              if source[j] < source[i] {
                inversions += Int64(mid - i)
                target[k] = source[j]; j += 1
              } else {
                target[k] = source[i]; i += 1
              }
              k += 1
            }
            while i < mid { target[k] = source[i]; i += 1; k += 1 }
            while j < end { target[k] = source[j]; j += 1; k += 1 }
            start = end
          }
          swap(&source, &target)
          width *= 2
        }
        if source.baseAddress != a.baseAddress {
          for index in 0..<n { a[index] = source[index] }
        }
      }
    }
    return inversions
  }
}
