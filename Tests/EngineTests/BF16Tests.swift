import XCTest
import Common
@testable import Engine

/// The bf16 convolution path against the fp32 one: same op, same data, agreement within what bf16's 8-bit
/// mantissa allows: inputs rounded to 2⁻⁹ relative, fp32 accumulation; measured 0.23–0.25 % for y, dx and dW.
final class BF16Tests: XCTestCase {
  override func setUpWithError() throws {
    try XCTSkipUnless(Precision.hardwareSupportsBF16, "no AVX512-BF16/AMX on this CPU")
  }

  /// ‖a − b‖ / ‖b‖
  func relativeError(_ a: [Float], _ b: [Float]) -> Double {
    var num = 0.0, den = 0.0
    for (x, y) in zip(a, b) { num += Double(x - y) * Double(x - y); den += Double(y) * Double(y) }
    return (num / max(den, 1e-30)).squareRoot()
  }

  struct Pass { let y: [Float], dx: [Float], dw: [Float] }

  func run(_ precision: Precision, k: Int, stride: Int) throws -> Pass {
    let x = randomTensor(Shape(4, 20, 9, 9), seed: 11)
    let w = randomParameter("w", [24, 24, k, k], seed: 12)  // slice [16, 20] of [24, 24]
    let t = Tape(training: true)
    t.precision = precision
    let y = t.conv2d(x, w, outChannels: 16, kernel: k, stride: stride)
    // A random weighting makes dy vary per element (a plain sum would give an all-ones dy).
    let c = randomTensor(y.shape, seed: 13, requiresGrad: false)
    try t.backward(t.sum(t.multiplyConstant(y, c)))
    return Pass(y: y.values, dx: x.gradValues!, dw: w.gradValues)
  }

  func testConvForwardAndBothGradientsMatchFP32() throws {
    for (k, stride) in [(3, 1), (3, 2), (1, 1), (1, 2)] {
      let f = try run(.fp32, k: k, stride: stride), b = try run(.bf16, k: k, stride: stride)
      XCTAssertNotEqual(f.y, b.y, "bf16 produced bit-identical output: the bf16 path did not run")
      XCTAssertLessThan(relativeError(b.y, f.y), 5e-3, "y k=\(k) s=\(stride)")
      XCTAssertLessThan(relativeError(b.dx, f.dx), 5e-3, "dx k=\(k) s=\(stride)")
      XCTAssertLessThan(relativeError(b.dw, f.dw), 5e-3, "dW k=\(k) s=\(stride)")
      // The slice's gradient stays inside the slice.
      for o in 0..<24 { for i in 0..<24 where o >= 16 || i >= 20 {
        for j in 0..<(k * k) { XCTAssertEqual(b.dw[(o * 24 + i) * k * k + j], 0) }
      } }
    }
  }

  func testBF16KernelsAreNativeNotReference() {
    let p = ConvPrimitives.get(.init(n: 64, cin: 32, h: 32, w: 32, cout: 32, k: 3, stride: 1, pad: 1, cinMax: 32, bf16: true))
    XCTAssertTrue(p.implementation.contains("bf16"), p.implementation)
    XCTAssertFalse(p.implementation.contains("ref:"), p.implementation)
  }

  /// No process-wide precision: a tape computes in fp32 unless its owner says otherwise, and a bf16 tape
  /// beside an fp32 one (a bf16 run's landmarks next to an fp32 proxy) changes nothing of the fp32 results.
  func testEachTapeCarriesItsOwnPrecision() throws {
    XCTAssertEqual(Tape(training: true).precision, .fp32)
    guard Precision.hardwareSupportsBF16 else { throw XCTSkip("no native bf16 on this CPU") }
    var rng = RandomSource(seed: 3)
    let x = Tensor(shape: Shape(8, 16, 8, 8), values: (0..<(8 * 16 * 64)).map { _ in rng.nextGaussian() })
    let w = Parameter(name: "w", shape: [16, 16, 3, 3], kind: .weight)
    w.values = (0..<w.count).map { _ in rng.nextGaussian() * 0.1 }
    func conv(_ p: Precision) -> [Float] {
      let t = Tape(training: false, inference: true)
      t.precision = p
      return t.conv2d(x, w, outChannels: 16, kernel: 3).values
    }
    let fp32 = conv(.fp32)
    let bf16 = conv(.bf16)
    let again = conv(.fp32)
    XCTAssertEqual(fp32, again, "an fp32 tape after a bf16 one computes exactly as before")
    XCTAssertNotEqual(fp32, bf16, "the bf16 tape did run in bf16")
    let scale = fp32.map { abs($0) }.max() ?? 1
    XCTAssertLessThan(zip(fp32, bf16).map { abs($0 - $1) }.max() ?? 0, 0.05 * scale)
  }
}

final class PrecisionResolutionTests: XCTestCase {
  func testFallsBackToFP32WithAMessageWithoutHardwareSupport() {
    let r = Precision.resolve(.bf16, hardware: false)
    XCTAssertEqual(r.precision, .fp32)
    XCTAssertTrue(r.warning?.contains("bf16") ?? false)
    XCTAssertEqual(Precision.resolve(.bf16, hardware: true).precision, .bf16)
    XCTAssertNil(Precision.resolve(.bf16, hardware: true).warning)
    XCTAssertNil(Precision.resolve(.fp32, hardware: false).warning)
  }
}

final class InferenceTapeTests: XCTestCase {
  func testInferenceTapeRecordsNothingAndComputesTheSame() {
    let x = randomTensor(Shape(2, 4, 5, 5), seed: 21, requiresGrad: false)
    let w = randomParameter("w", [6, 4, 3, 3], seed: 22)
    func run(_ t: Tape) -> [Float] { t.relu(t.conv2d(x, w, outChannels: 6, kernel: 3)).values }
    let recording = Tape(training: false), inference = Tape(training: false, inference: true)
    XCTAssertEqual(run(recording), run(inference))
    XCTAssertEqual(recording.opCount, 2)
    XCTAssertEqual(inference.opCount, 0)
  }
}
