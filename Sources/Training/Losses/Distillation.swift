#if canImport(Glibc)
import Glibc
#endif
import Engine

/// The losses of distilled paths (sandwich rule): in-place KD from the largest path's detached logits, or
/// AlphaNet's adaptive α-divergence (α ∈ {α_min, α_max} chosen per sample, importance weights clipped).
public enum Distillation {
  /// Soft cross-entropy to the teacher's softmax (T = 1), the reference's in-place distillation.
  public static func kd(_ t: Tape, student: Tensor, teacherProbs: [Float]) -> Tensor {
    t.softCrossEntropy(student, target: teacherProbs)
  }

  /// AlphaNet's `AdaptiveLossSoft` (method doc §2.5). Gradient flows through log softmax(student) only,
  /// as a surrogate G = −Σ_k q̂_k ρ_k log softmax(q)_k with q̂ and ρ detached; this is a soft cross-entropy
  /// with the (unnormalised) target q̂·ρ, so it reuses that op. Per sample, the α whose divergence D is
  /// larger is used (α_min if D(α_min) > D(α_max), else α_max).
  public static func alpha(_ t: Tape, student: Tensor, teacherProbs: [Float], alphaMin: Double = -1,
                           alphaMax: Double = 1, clip: Double = 3) -> Tensor {
    let n = student.shape.n, k = student.shape.c
    let q = softmaxRows(student.data, rows: n, classes: k)
    var target = [Float](repeating: 0, count: n * k)
    for r in 0..<n {
      let row = r * k
      func terms(_ a: Double) -> (d: Double, w: [Double]) {
        var d = 0.0
        var weights = [Double](repeating: 0, count: k)
        for j in 0..<k {
          let qj = max(Double(q[row + j]), 1e-12), pj = Double(teacherProbs[row + j])
          let w = pj / qj
          var f: Double, rho: Double, f0: Double
          if abs(a) < 1e-3 {
            f = -log(min(max(w, 1e-12), clip)); rho = log(max(w, 1e-12)) - 1; f0 = 0
          } else if abs(a - 1) < 1e-3 {
            f = w * log(max(w, 1e-12)); rho = w; f0 = 0
          } else {
            let wa = min(pow(max(w, 0), a), clip)
            f0 = 1 / (a * (a - 1))
            f = wa / (a * (a - 1)); rho = wa / a + f0
          }
          d += qj * (f - f0)
          weights[j] = qj * rho
        }
        return (d, weights)
      }
      let lo = terms(alphaMin), hi = terms(alphaMax)
      let chosen = lo.d > hi.d ? lo.w : hi.w
      for j in 0..<k { target[row + j] = Float(chosen[j]) }
    }
    return t.softCrossEntropy(student, target: target)
  }
}
