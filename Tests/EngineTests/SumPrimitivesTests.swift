import XCTest
@testable import Engine

/// Large sums and gradient accumulations run on oneDNN's OpenMP team (`SumPrimitives`) when there are several
/// threads. Same values as the one-thread SIMD loops, on either side of the size threshold, with an odd tail.
final class SumPrimitivesTests: XCTestCase {
  private var savedThreads = 1
  override func setUp() { savedThreads = DNNL.threads; DNNL.setThreads(2) }
  override func tearDown() { DNNL.setThreads(savedThreads) }

  private func ramp(_ n: Int, _ f: (Int) -> Float) -> Tensor {
    Tensor(shape: Shape(1, n, 1, 1), values: (0..<n).map(f), requiresGrad: true)
  }

  func testParallelSumsMatchTheLoops() {
    for n in [SumPrimitives.minCount - 3, SumPrimitives.minCount + 4_099] {
      XCTAssertEqual(SumPrimitives.parallel(n), n >= SumPrimitives.minCount)
      let xs = (0..<4).map { k in ramp(n) { Float(($0 * (k + 3)) % 1_001) - 500 } }
      let t = Tape(training: false)
      let two = t.add(xs[0], xs[1]), four = t.sum(xs)!
      for i in stride(from: 0, to: n, by: 97) + [n - 1] {
        XCTAssertEqual(two.data[i], xs[0].data[i] + xs[1].data[i])
        XCTAssertEqual(four.data[i], xs[0].data[i] + xs[1].data[i] + xs[2].data[i] + xs[3].data[i])
      }
      let dst = Buffer.allocate(n)
      defer { Buffer.free(dst) }
      SumPrimitives.copy(xs[2].data, into: dst, n)
      SumPrimitives.add(xs[3].data, into: dst, n)
      for i in [0, n / 2, n - 1] { XCTAssertEqual(dst[i], xs[2].data[i] + xs[3].data[i]) }
    }
  }

  /// The hand-over test of LinearLossTests at a size where every copy and accumulation takes the parallel path:
  /// an input used twice, one that already holds a gradient, one that needs none.
  func testGradientAccumulationOnTheTeamIsExact() throws {
    let n = SumPrimitives.minCount + 37
    let a = ramp(n) { Float($0 % 89) }, b = ramp(n) { -Float($0 % 71) }
    let c = Tensor(shape: a.shape, values: [Float](repeating: 1, count: n), requiresGrad: false)
    let t = Tape(training: true)
    let l = t.add(t.add(t.sum(t.scale(t.add(a, a), 3)), t.sum(t.sum([b, a, c, b])!)), t.sum(t.scale(b, 2)))
    try t.backward(l)
    XCTAssertEqual(try XCTUnwrap(a.gradValues), [Float](repeating: 7, count: n))
    XCTAssertEqual(try XCTUnwrap(b.gradValues), [Float](repeating: 4, count: n))
    XCTAssertNil(c.grad)
  }
}
