/// ReLU as Swift SIMD loops instead of oneDNN's eltwise primitive, for two fusions the primitive cannot do:
/// - the backward *adds* its masked gradient into the input's gradient in the same pass (the primitive writes a
///   fresh buffer, which the tape then adds: one more write and read of the whole tensor), and
/// - a NAS-Bench-201 node's sum and its ReLU come out of one pass over the node's terms (`Tape.sumAndReLU`):
///   the sum is written and its ReLU beside it, instead of the ReLU re-reading the sum.
/// Both are memory-bound (a few operations per element on 1-4 MB tensors), so a pass saved is time saved.
/// Above `minParallelCount` floats the work is split over oneDNN's OpenMP team, like the box pool.
enum ReLUKernels {
  static let minParallelCount = 1 << 16

  /// y = max(x, 0).
  static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, threads: Int) {
    split(n, threads: threads) { r in
      Vec.sumReLU([x + r.lowerBound], sum: nil, relu: y + r.lowerBound, r.count)
    }
  }

  /// sum = Σ terms, relu = max(sum, 0), in one pass.
  static func sumForward(_ terms: [UnsafePointer<Float>], sum: UnsafeMutablePointer<Float>,
                         relu: UnsafeMutablePointer<Float>, _ n: Int, threads: Int) {
    split(n, threads: threads) { r in
      Vec.sumReLU(terms.map { $0 + r.lowerBound }, sum: sum + r.lowerBound, relu: relu + r.lowerBound, r.count)
    }
  }

  /// dx = dy where x > 0, else 0 (`overwrite`), or dx += that.
  static func backward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       _ n: Int, overwrite: Bool, threads: Int) {
    split(n, threads: threads) { r in
      let o = r.lowerBound
      if overwrite {
        Vec.maskPositive(dy + o, where: x + o, into: dx + o, r.count)
      } else {
        Vec.addMaskPositive(dy + o, where: x + o, into: dx + o, r.count)
      }
    }
  }

  /// `0..<n` cut into one contiguous range per thread (on 16-float boundaries), all on the caller when small.
  private static func split(_ n: Int, threads: Int, _ body: (Range<Int>) -> Void) {
    let parts = n >= minParallelCount ? threads : 1
    OpenMPTeam.run(threads: parts) { part, parts in
      let blocks = (n + 15) / 16, r = OpenMPTeam.slice(blocks, part: part, parts: parts)
      body(min(r.lowerBound * 16, n)..<min(r.upperBound * 16, n))
    }
  }
}

extension Tape {
  /// max(x, 0), any shape.
  public func relu(_ x: Tensor) -> Tensor {
    reluObserver?(x)
    let threads = DNNL.threads
    let y = Tensor(shape: x.shape, requiresGrad: x.requiresGrad)
    ReLUKernels.forward(x.data, y.data, x.count, threads: threads)
    recordReLUBackward(input: x, output: y, threads: threads)
    return y
  }

  /// A NAS-Bench-201 node: (Σ terms, max(Σ terms, 0)) for two or more same-shaped terms, the ReLU for the
  /// conv edges leaving the node. One forward pass; on the tape they are the sum and the ReLU as usual. With a
  /// ReLU observer (a proxy watching ReLU inputs) they are the two plain ops.
  public func sumAndReLU(_ terms: [Tensor]) -> (sum: Tensor, relu: Tensor) {
    precondition(terms.count >= 2, "sumAndReLU: \(terms.count) terms (one term is its own sum)")
    if reluObserver != nil {
      let s = sum(terms)!
      return (s, relu(s))
    }
    let first = terms[0], n = first.count, threads = DNNL.threads
    for x in terms { precondition(x.shape == first.shape, "sumAndReLU: \(x.shape) vs \(first.shape)") }
    let s = Tensor(shape: first.shape, requiresGrad: terms.contains { $0.requiresGrad })
    let r = Tensor(shape: first.shape, requiresGrad: s.requiresGrad)
    ReLUKernels.sumForward(terms.map { UnsafePointer($0.data) }, sum: s.data, relu: r.data, n, threads: threads)
    recordSumBackward(terms, output: s)
    recordReLUBackward(input: s, output: r, threads: threads)
    return (s, r)
  }

  func recordReLUBackward(input x: Tensor, output y: Tensor, threads: Int) {
    record("relu", y) {
      guard let dy = y.grad, x.requiresGrad else { return }
      let (dx, overwrite) = x.gradForWriting()
      ReLUKernels.backward(dy, input: x.data, dx, x.count, overwrite: overwrite, threads: threads)
    }
  }
}
