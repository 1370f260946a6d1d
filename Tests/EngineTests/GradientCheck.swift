import XCTest
import Common
@testable import Engine

/// Central finite differences against the tape's analytic gradients.
///
/// The engine computes in float32, so the check uses a probe loss L = Σ r·f(x) with random r accumulated
/// in float64, a step h = 1e-2 (large enough that float32 rounding of L, ~1e-7·|L|, is far below the
/// O(h²) truncation error of smooth ops) and compares with a relative tolerance of 2e-2 on each checked
/// element plus a small absolute floor; ReLU-like kinks are avoided by the inputs each test chooses.
struct GradientCheck {
  var h: Float = 1e-2
  var relTol: Double = 2e-2
  var absTol: Double = 2e-3
  var samples = 12

  /// `forward` builds the op on a fresh tape from the current values of `inputs`/`params`.
  func run(inputs: [Tensor], params: [Parameter], training: Bool = true, seed: UInt64 = 1,
           file: StaticString = #filePath, line: UInt = #line,
           forward: (Tape) -> Tensor) throws {
    let bad = try mismatches(inputs: inputs, params: params, training: training, seed: seed, forward: forward)
    XCTAssert(bad.isEmpty, bad.prefix(5).joined(separator: "; "), file: file, line: line)
  }

  /// Every checked element whose analytic and numeric gradients disagree, described.
  func mismatches(inputs: [Tensor], params: [Parameter], training: Bool = true, seed: UInt64 = 1,
                  forward: (Tape) -> Tensor) throws -> [String] {
    var bad: [String] = []
    var rng = RandomSource(seed: seed)
    // Probe weights for the output.
    let probeTape = Tape(training: training)
    let out0 = forward(probeTape)
    let r = (0..<out0.count).map { _ in rng.nextGaussian() }
    func loss() -> Double {
      let t = Tape(training: training)
      let o = forward(t)
      var s = 0.0
      for i in 0..<o.count { s += Double(o.data[i]) * Double(r[i]) }
      return s
    }
    // Analytic.
    for p in params { p.zeroGrad() }
    for x in inputs { x.clearGrad() }
    let tape = Tape(training: training)
    let out = forward(tape)
    let seedT = Tensor(shape: out.shape, values: r)
    let probe = tape.sum(tape.multiplyConstant(out, seedT))
    try tape.backward(probe)

    func check(_ name: String, _ value: UnsafeMutablePointer<Float>, _ count: Int, _ analytic: [Float]) {
      var local = RandomSource(seed: seed ^ UInt64(count))
      let picks = count <= samples ? Array(0..<count) : (0..<samples).map { _ in Int(local.next() % UInt64(count)) }
      for i in picks {
        let old = value[i]
        value[i] = old + h; let lp = loss()
        value[i] = old - h; let lm = loss()
        value[i] = old
        let numeric = (lp - lm) / Double(2 * h)
        let a = Double(analytic[i])
        let tol = absTol + relTol * max(abs(numeric), abs(a))
        if !(abs(numeric - a) <= tol) { bad.append("\(name)[\(i)]: analytic \(a) vs numeric \(numeric)") }
      }
    }
    for x in inputs {
      let g = x.gradValues ?? [Float](repeating: 0, count: x.count)
      check("input\(x.shape)", x.data, x.count, g)
    }
    for p in params { check(p.name, p.value, p.count, p.gradValues) }
    return bad
  }
}

func randomTensor(_ shape: Shape, seed: UInt64, scale: Float = 1, requiresGrad: Bool = true) -> Tensor {
  var rng = RandomSource(seed: seed)
  return Tensor(shape: shape, values: (0..<shape.count).map { _ in rng.nextGaussian() * scale }, requiresGrad: requiresGrad)
}

func randomParameter(_ name: String, _ shape: [Int], seed: UInt64, scale: Float = 0.5,
                     kind: Parameter.Kind = .weight) -> Parameter {
  let p = Parameter(name: name, shape: shape, kind: kind)
  var rng = RandomSource(seed: seed)
  p.values = (0..<p.count).map { _ in rng.nextGaussian() * scale }
  return p
}
