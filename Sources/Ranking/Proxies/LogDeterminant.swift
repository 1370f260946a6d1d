import Foundation

/// log |det A| of a small dense matrix (numpy's `slogdet`, magnitude only), in Float64 by LU
/// factorisation with partial pivoting. NASWOT's kernels are 64×64 with entries up to ~10⁶, so float32
/// would lose the determinant entirely.
public enum LogDeterminant {
  /// `a` is row-major n×n. Returns -infinity for a singular matrix.
  public static func logAbsDet(_ a: [Double], n: Int) -> Double {
    precondition(a.count == n * n, "logAbsDet: \(a.count) entries for \(n)×\(n)")
    var m = a
    var result = 0.0
    for k in 0..<n {
      var pivot = k
      var best = abs(m[k * n + k])
      for r in (k + 1)..<max(k + 1, n) where abs(m[r * n + k]) > best {
        best = abs(m[r * n + k])
        pivot = r
      }
      guard best > 0, best.isFinite else { return -.infinity }
      if pivot != k {
        for c in 0..<n { m.swapAt(k * n + c, pivot * n + c) }
      }
      let d = m[k * n + k]
      result += log(abs(d))
      for r in (k + 1)..<max(k + 1, n) {
        let f = m[r * n + k] / d
        if f == 0 { continue }
        for c in (k + 1)..<n { m[r * n + c] -= f * m[k * n + c] }
      }
    }
    return result
  }
}
