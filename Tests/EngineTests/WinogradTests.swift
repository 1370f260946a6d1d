import XCTest
import CDNNL
import Common
@testable import Engine

/// Winograd convolutions (`ConvAlgorithm`): the same convolution as the direct kernels, forward and backward,
/// through blocked activation copies; chosen by the width rule; direct wherever oneDNN cannot run them.
final class WinogradTests: XCTestCase {
  /// oneDNN's Winograd kernels are AVX-512 ones; every machine rdnas targets has AVX-512.
  private var cpuHasWinograd: Bool {
    let isa = dnnl_get_effective_cpu_isa().rawValue, avx512 = dnnl_cpu_isa_avx512_core.rawValue
    return isa & avx512 == avx512
  }

  private func worstRelative(_ a: [Float], _ b: [Float]) -> Float {
    XCTAssertEqual(a.count, b.count)
    var worst: Float = 0
    for i in 0..<min(a.count, b.count) { worst = max(worst, abs(a[i] - b[i]) / max(1, abs(b[i]))) }
    return worst
  }

  func testAutoRuleTakesWinogradOnlyForWide3x3StrideOneFP32() {
    let auto = ConvAlgorithm.auto
    XCTAssertTrue(auto.usesWinograd(cin: 24, cout: 64, kernel: 3, stride: 1, pad: 1, bf16: false))
    XCTAssertFalse(auto.usesWinograd(cin: 20, cout: 64, kernel: 3, stride: 1, pad: 1, bf16: false))
    XCTAssertFalse(auto.usesWinograd(cin: 64, cout: 16, kernel: 3, stride: 1, pad: 1, bf16: false))
    XCTAssertFalse(auto.usesWinograd(cin: 64, cout: 64, kernel: 3, stride: 2, pad: 1, bf16: false))
    XCTAssertFalse(auto.usesWinograd(cin: 64, cout: 64, kernel: 1, stride: 1, pad: 0, bf16: false))
    XCTAssertFalse(auto.usesWinograd(cin: 64, cout: 64, kernel: 3, stride: 1, pad: 1, bf16: true))
    XCTAssertTrue(ConvAlgorithm.winograd.usesWinograd(cin: 3, cout: 4, kernel: 3, stride: 1, pad: 1, bf16: false))
    XCTAssertFalse(ConvAlgorithm.direct.usesWinograd(cin: 64, cout: 64, kernel: 3, stride: 1, pad: 1, bf16: false))
  }

  func testWideShapeBuildsWinogradKernelsAndNarrowOneDirect() {
    let wide = ConvPrimitives.get(.init(n: 8, cin: 32, h: 8, w: 8, cout: 32, k: 3, stride: 1, pad: 1, cinMax: 32,
                                        winograd: true))
    XCTAssertEqual(wide.winograd, cpuHasWinograd)
    if cpuHasWinograd { XCTAssertTrue(wide.implementation.contains("wino"), wide.implementation) }
    // A key oneDNN has no Winograd kernel for (1×1) falls back to the direct primitives instead of failing.
    let pointwise = ConvPrimitives.get(.init(n: 8, cin: 32, h: 8, w: 8, cout: 32, k: 1, stride: 1, pad: 0,
                                             cinMax: 32, winograd: true))
    XCTAssertFalse(pointwise.winograd)
    XCTAssertFalse(pointwise.implementation.contains("wino"), pointwise.implementation)
  }

  /// Whether the primitives conv2d used for this shape are Winograd ones (so the tests below test Winograd).
  private func ranWinograd(n: Int, cin: Int, h: Int, cout: Int, cinMax: Int) -> Bool {
    ConvPrimitives.get(.init(n: n, cin: cin, h: h, w: h, cout: cout, k: 3, stride: 1, pad: 1, cinMax: cinMax,
                             winograd: true)).winograd
  }

  func testForwardMatchesNaiveOnASlice() {
    let x = randomTensor(Shape(2, 5, 7, 7), seed: 11, requiresGrad: false)
    let w = randomParameter("w", [8, 6, 3, 3], seed: 12)  // slice [6, 5] of [8, 6]
    let t = Tape(training: true)
    t.convAlgorithm = .winograd
    let y = t.conv2d(x, w, outChannels: 6, kernel: 3)
    XCTAssertLessThan(worstRelative(y.values, naiveConv(x, w, cout: 6, k: 3, stride: 1, pad: 1)), 1e-4)
    XCTAssertEqual(ranWinograd(n: 2, cin: 5, h: 7, cout: 6, cinMax: 6), cpuHasWinograd)
  }

  func testGradientsByFiniteDifferences() throws {
    let x = randomTensor(Shape(2, 3, 5, 5), seed: 13)
    let w = randomParameter("wino", [6, 4, 3, 3], seed: 14)  // slice [5, 3] of [6, 4]
    try GradientCheck().run(inputs: [x], params: [w]) { t in
      t.convAlgorithm = .winograd
      return t.conv2d(x, w, outChannels: 5, kernel: 3)
    }
    XCTAssertEqual(ranWinograd(n: 2, cin: 3, h: 5, cout: 5, cinMax: 4), cpuHasWinograd)
  }

  /// At a width the rule sends to Winograd, output, input gradient and weight gradient (accumulated into the
  /// slice of a wider master) agree with the direct kernels.
  func testWinogradAgreesWithDirectForwardAndBackward() throws {
    let x = randomTensor(Shape(4, 32, 8, 8), seed: 15)
    let w = randomParameter("w", [40, 36, 3, 3], seed: 16)
    let upstream = randomTensor(Shape(4, 36, 8, 8), seed: 17, requiresGrad: false)
    func pass(_ algorithm: ConvAlgorithm) throws -> (y: [Float], dx: [Float], dw: [Float]) {
      w.zeroGrad(); x.clearGrad()
      let t = Tape(training: true)
      t.convAlgorithm = algorithm
      let y = t.conv2d(x, w, outChannels: 36, kernel: 3)
      try t.backward(t.sum(t.multiplyConstant(y, upstream)))
      return (y.values, x.gradValues ?? [], w.gradValues)
    }
    let direct = try pass(.direct), auto = try pass(.auto)
    XCTAssertEqual(ranWinograd(n: 4, cin: 32, h: 8, cout: 36, cinMax: 36), cpuHasWinograd)
    XCTAssertLessThan(worstRelative(auto.y, direct.y), 1e-4)
    XCTAssertLessThan(worstRelative(auto.dx, direct.dx), 1e-4)
    XCTAssertLessThan(worstRelative(auto.dw, direct.dw), 1e-4)
    // Outside the [36, 32] slice the gradient stays exactly zero.
    for o in 0..<40 { for i in 0..<36 where o >= 36 || i >= 32 {
      for j in 0..<9 { XCTAssertEqual(auto.dw[(o * 36 + i) * 9 + j], 0) }
    } }
  }
}
