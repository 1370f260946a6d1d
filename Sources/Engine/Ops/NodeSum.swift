/// A NAS-Bench-201 node: Σ plain terms + Σ BN(x_i) over the conv edges' outputs (non-affine BN), and
/// the node's ReLU when a conv edge leaves it, in one pass over memory each way instead of a BN per edge, a sum
/// and a ReLU. The edges' BN outputs are never written: the normalisation happens while the node is summed.
/// Every one of these ops is memory-bound (a few operations per element on 1-4 MB tensors), so the passes saved
/// are the time saved: forward, a statistics pass per BN term and one pass writing the node (and its ReLU); backward,
/// one pass reading the node's gradient for every BN term's two channel sums and one pass writing every term's
/// gradient.
///
/// BN here is, in training, the batch's biased variance, eps 1e-5, running statistics updated as `Tape.batchNorm`
/// does; in eval mode the running statistics (then the backward is dx = γ·dy/√(var + eps)). Affine BN terms (a
/// resnet block's join: BN(conv2) + shortcut, or + BN(downsample conv)) fold γ and β into the pass and take their
/// gradients from the backward's channel sums. BN switched off and a ReLU observer take the plain ops.
extension Tape {
  public func nodeSum(plain: [Tensor], normalized: [(Tensor, BatchNormParams)], relu wantReLU: Bool)
    -> (sum: Tensor, relu: Tensor?)? {
    guard fusesNodeSum(normalized) else {
      let terms = plain + normalized.map { batchNorm($0.0, $0.1) }
      if terms.count >= 2 && wantReLU { let (s, r) = sumAndReLU(terms); return (s, r) }
      guard let s = sum(terms) else { return nil }
      return (s, wantReLU ? relu(s) : nil)
    }
    let shape = normalized[0].0.shape
    let s = Tensor(shape: shape, requiresGrad: true)
    let r = wantReLU ? Tensor(shape: shape, requiresGrad: true) : nil
    let terms = normalizedTerms(plain: plain, normalized: normalized)
    NodeSumKernels.forward(plain: plain.map { UnsafePointer($0.data) }, normalized: terms, sum: s.data, relu: r?.data,
                           pixels: shape.pixels, channels: shape.c, threads: DNNL.threads)
    let batchStatistics = training  // (not `self.training` in the closure: the tape holds its entries)
    record("nodeSum", s) {
      guard let dy = s.grad else { return }
      Tape.nodeSumBackward(dy, of: s, reluOutput: nil, plain: plain, normalized: normalized, terms: terms,
                           batchStatistics: batchStatistics)
    }
    if let r { recordReLUBackward(input: s, output: r, threads: DNNL.threads) }
    return (s, r)
  }

  /// relu(Σ plain + Σ BN(x_i)) where nothing reads the sum before its ReLU (a resnet block's join): `nodeSum` without
  /// writing the sum, and a backward that masks the incoming gradient by the output's sign in its first pass, so
  /// the ReLU costs no pass of its own either way. Same values and gradients as `nodeSum(…, relu: true).relu`.
  public func nodeSumReLU(plain: [Tensor], normalized: [(Tensor, BatchNormParams)]) -> Tensor {
    guard fusesNodeSum(normalized) else { return nodeSum(plain: plain, normalized: normalized, relu: true)!.relu! }
    let shape = normalized[0].0.shape
    let r = Tensor(shape: shape, requiresGrad: true)
    let terms = normalizedTerms(plain: plain, normalized: normalized)
    NodeSumKernels.forward(plain: plain.map { UnsafePointer($0.data) }, normalized: terms, sum: nil, relu: r.data,
                           pixels: shape.pixels, channels: shape.c, threads: DNNL.threads)
    let batchStatistics = training
    record("nodeSumReLU", r) {
      guard let dy = r.grad else { return }
      Tape.nodeSumBackward(dy, of: r, reluOutput: UnsafePointer(r.data), plain: plain, normalized: normalized,
                           terms: terms, batchStatistics: batchStatistics)
    }
    return r
  }

  /// The fused kernels apply: BN on, no ReLU observer (it must see the sum), at least one BN term, nhwc inputs whose
  /// channels BN covers.
  private func fusesNodeSum(_ normalized: [(Tensor, BatchNormParams)]) -> Bool {
    !skipBatchNorm && reluObserver == nil && !normalized.isEmpty
      && normalized.allSatisfy { $0.0.shape.rank == 4 && $0.0.shape.c <= $0.1.channels }
  }

  /// Every BN term's statistics (batch statistics in training, running statistics updated with them; eval: the
  /// running ones) and affine terms, after checking all inputs share one shape.
  private func normalizedTerms(plain: [Tensor], normalized: [(Tensor, BatchNormParams)]) -> [NodeSumKernels.Term] {
    let shape = normalized[0].0.shape
    for x in plain + normalized.map(\.0) { precondition(x.shape == shape, "nodeSum: \(x.shape) vs \(shape)") }
    let pixels = shape.pixels, c = shape.c
    return normalized.map { (x, bn) in
      costs?.batchNormElements += Double(x.count / x.shape.n)
      let m: NodeSumKernels.Moments
      if training {
        m = NodeSumKernels.moments(x.data, pixels: pixels, channels: c, threads: DNNL.threads)
        updateRunningStatistics(bn, mean: m.mean, variance: m.variance, channels: c, count: pixels)
      } else {
        m = NodeSumKernels.Moments(mean: Array(bn.runningMean.values[0..<c]), variance: Array(bn.runningVar.values[0..<c]))
      }
      return NodeSumKernels.Term(x: x.data, moments: m, gamma: bn.gamma.map { UnsafePointer($0.value) },
                                 beta: bn.beta.map { UnsafePointer($0.value) })
    }
  }

  /// The backward of both: the BN terms read dy (masked first by `reluOutput` when given); then the plain terms take
  /// it, the last one taking the buffer itself.
  private static func nodeSumBackward(_ dy: UnsafeMutablePointer<Float>, of output: Tensor,
                                      reluOutput: UnsafePointer<Float>?, plain: [Tensor],
                                      normalized: [(Tensor, BatchNormParams)], terms: [NodeSumKernels.Term],
                                      batchStatistics: Bool) {
    var outputs: [(UnsafeMutablePointer<Float>, Bool)?] = []
    for (x, _) in normalized { outputs.append(x.requiresGrad ? x.gradForWriting() : nil) }
    let affine: [(gamma: Parameter, beta: Parameter)?] = normalized.map { (_, bn) in
      guard let g = bn.gamma, let b = bn.beta else { return nil }
      return (g, b)
    }
    NodeSumKernels.backward(dy, normalized: terms, batchStatistics: batchStatistics, into: outputs,
                            parameterGradients: affine.map { $0.map { ($0.gamma.grad, $0.beta.grad) } },
                            reluOutput: reluOutput, pixels: output.shape.pixels, channels: output.shape.c,
                            threads: DNNL.threads)
    for case let (g, b)? in affine { g.touched = true; b.touched = true }
    let takers = plain.filter(\.requiresGrad)
    for x in takers.dropLast() { x.accumulateGrad(dy) }
    takers.last?.accumulateGrad(takingFrom: output)
  }
}

enum NodeSumKernels {
  static let minParallelCount = 1 << 16
  static let eps: Float = 1e-5

  /// A BN term: its input [pixels, channels] (nhwc), statistics, and γ, β when affine (the first `channels` of each).
  struct Term {
    let x: UnsafePointer<Float>
    let moments: Moments
    let gamma: UnsafePointer<Float>?, beta: UnsafePointer<Float>?
    init(x: UnsafePointer<Float>, moments: Moments, gamma: UnsafePointer<Float>? = nil, beta: UnsafePointer<Float>? = nil) {
      self.x = x; self.moments = moments; self.gamma = gamma; self.beta = beta
    }
    /// γ of channel `ch` (1 when not affine).
    func scale(_ ch: Int) -> Float { gamma?[ch] ?? 1 }
  }

  /// A BN term's batch statistics: per-channel mean, biased variance and 1/√(variance + eps).
  struct Moments {
    let mean: [Float], variance: [Float], invStd: [Float]
    init(mean: [Float], variance: [Float]) {
      self.mean = mean; self.variance = variance
      invStd = variance.map { 1 / ($0 + NodeSumKernels.eps).squareRoot() }
    }
  }

  /// Mean and biased variance per channel of x [pixels, channels] (nhwc). Sums are taken of x − x[pixel 0], a
  /// shift that keeps E[(x−k)²] − E[x−k]² from cancelling when the mean is large against the spread, in float
  /// over runs of 256 pixels, then in double.
  static func moments(_ x: UnsafePointer<Float>, pixels: Int, channels c: Int, threads: Int) -> Moments {
    let parts = split(pixels * c, threads: threads, pixels: pixels)
    let sums = UnsafeMutablePointer<Double>.allocate(capacity: 2 * c * parts)
    sums.initialize(repeating: 0, count: 2 * c * parts)
    defer { sums.deallocate() }
    OpenMPTeam.run(threads: parts) { part, used in
      let range = OpenMPTeam.slice(pixels, part: part, parts: used)
      let s1 = Buffer.allocate(c), s2 = Buffer.allocate(c)
      defer { Buffer.free(s1); Buffer.free(s2) }
      let d1 = sums + 2 * c * part, d2 = d1 + c
      var p = range.lowerBound
      while p < range.upperBound {
        let end = min(p + 256, range.upperBound)
        s1.update(repeating: 0, count: c); s2.update(repeating: 0, count: c)
        for q in p..<end {
          let row = x + q * c
          var ch = 0
          while ch + 16 <= c {
            let v = Vec.load(row + ch) - Vec.load(x + ch)
            Vec.store(Vec.load(s1 + ch) + v, s1 + ch)
            Vec.store(Vec.load(s2 + ch) + v * v, s2 + ch)
            ch += 16
          }
          while ch < c { let v = row[ch] - x[ch]; s1[ch] += v; s2[ch] += v * v; ch += 1 }
        }
        for ch in 0..<c { d1[ch] += Double(s1[ch]); d2[ch] += Double(s2[ch]) }
        p = end
      }
    }
    var mean = [Float](repeating: 0, count: c), variance = mean
    let n = Double(pixels)
    for ch in 0..<c {
      var a = 0.0, b = 0.0
      for part in 0..<parts { a += sums[2 * c * part + ch]; b += sums[2 * c * part + c + ch] }
      let m = a / n
      mean[ch] = Float(Double(x[ch]) + m)
      variance[ch] = Float(max(b / n - m * m, 0))
    }
    return Moments(mean: mean, variance: variance)
  }

  /// sum = Σ plain + Σ γ_i·(x_i − mean_i)·invStd_i + β_i, relu = max(sum, 0), each when given; one pass.
  static func forward(plain: [UnsafePointer<Float>], normalized: [Term],
                      sum: UnsafeMutablePointer<Float>?, relu: UnsafeMutablePointer<Float>?, pixels: Int, channels c: Int,
                      threads: Int) {
    // Inputs and coefficients as raw pointers, so the hot loop touches no Swift array: per BN term,
    // y = x·a + b with a = γ·invStd, b = β − mean·γ·invStd (one multiply-add an element).
    let inputs = Pointers(plain + normalized.map(\.x))
    defer { inputs.free() }
    let nPlain = plain.count, terms = normalized.count
    let coefficients = Buffer.allocate(2 * terms * c)
    defer { Buffer.free(coefficients) }
    for (k, term) in normalized.enumerated() {
      for ch in 0..<c {
        let a = term.scale(ch) * term.moments.invStd[ch]
        coefficients[2 * k * c + ch] = a
        coefficients[(2 * k + 1) * c + ch] = (term.beta?[ch] ?? 0) - term.moments.mean[ch] * a
      }
    }
    let ptrs = inputs.base
    let parts = split(pixels * c, threads: threads, pixels: pixels)
    OpenMPTeam.run(threads: parts) { part, used in
      let range = OpenMPTeam.slice(pixels, part: part, parts: used)
      for q in range {
        let o = q * c
        var ch = 0
        while ch + 16 <= c {
          var acc = SIMD16<Float>(repeating: 0)
          for j in 0..<nPlain { acc += Vec.load(ptrs[j] + o + ch) }
          for k in 0..<terms {
            acc += Vec.load(ptrs[nPlain + k] + o + ch) * Vec.load(coefficients + 2 * k * c + ch)
              + Vec.load(coefficients + (2 * k + 1) * c + ch)
          }
          if let sum { Vec.store(acc, sum + o + ch) }
          if let relu { Vec.store(acc.replacing(with: 0, where: acc .< 0), relu + o + ch) }
          ch += 16
        }
        while ch < c {
          var acc: Float = 0
          for j in 0..<nPlain { acc += ptrs[j][o + ch] }
          for k in 0..<terms {
            acc += ptrs[nPlain + k][o + ch] * coefficients[2 * k * c + ch] + coefficients[(2 * k + 1) * c + ch]
          }
          sum?[o + ch] = acc
          relu?[o + ch] = max(acc, 0)
          ch += 1
        }
      }
    }
  }

  /// dx_i (+)= γ_i·invStd_i · (dy − mean(dy) − x̂_i · mean(dy · x̂_i)), the BN backward, for every BN term at once:
  /// one pass for the channel sums Σdy (shared) and Σdy·(x_i − mean_i), one writing each dx_i as A·dy + B·x + C per
  /// channel (without `batchStatistics` the statistics are constants: A = γ·invStd, B = C = 0, and the first pass
  /// runs only for γ and β). `outputs[i]`: dx_i and whether to overwrite it (nil: x_i takes no gradient);
  /// `parameterGradients[i]`: where an affine term adds dγ = invStd·Σdy·(x − mean) and dβ = Σdy.
  /// `reluOutput`: dy is the gradient of relu(sum), not of sum; the first pass masks it by relu > 0 (⇔ sum > 0) in
  /// place, so the pre-ReLU sum need never be written and the ReLU's backward costs no pass of its own.
  static func backward(_ dy: UnsafeMutablePointer<Float>, normalized: [Term], batchStatistics: Bool,
                       into outputs: [(UnsafeMutablePointer<Float>, Bool)?],
                       parameterGradients: [(UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)?] = [],
                       reluOutput: UnsafePointer<Float>? = nil, pixels: Int, channels c: Int, threads: Int) {
    let terms = normalized.count, width = (terms + 1) * c
    let parts = split(pixels * c, threads: threads, pixels: pixels)
    let sums = UnsafeMutablePointer<Double>.allocate(capacity: width * parts)
    sums.initialize(repeating: 0, count: width * parts)
    defer { sums.deallocate() }
    // Pass 1: per part, [Σdy | Σdy·(x_1 − mean_1) | …], in float over 256-pixel runs, then double.
    let inputs = Pointers(normalized.map(\.x))
    defer { inputs.free() }
    let means = Buffer.allocate(terms * c)
    defer { Buffer.free(means) }
    for (k, term) in normalized.enumerated() { for ch in 0..<c { means[k * c + ch] = term.moments.mean[ch] } }
    let xs = inputs.base
    let wantParameters = parameterGradients.contains { $0 != nil }
    if !(batchStatistics || wantParameters), let reluOutput {  // no channel sums to take: the mask alone
      OpenMPTeam.run(threads: parts) { part, used in
        let range = OpenMPTeam.slice(pixels, part: part, parts: used)
        let o = range.lowerBound * c
        Vec.maskPositive(dy + o, where: reluOutput + o, into: dy + o, range.count * c)
      }
    }
    if batchStatistics || wantParameters { OpenMPTeam.run(threads: parts) { part, used in
      let range = OpenMPTeam.slice(pixels, part: part, parts: used)
      let acc = Buffer.allocate(width)
      defer { Buffer.free(acc) }
      let total = sums + width * part
      var p = range.lowerBound
      while p < range.upperBound {
        let end = min(p + 256, range.upperBound)
        acc.update(repeating: 0, count: width)
        for q in p..<end {
          let o = q * c
          var ch = 0
          while ch + 16 <= c {
            var g = Vec.load(dy + o + ch)
            if let reluOutput {
              g = g.replacing(with: 0, where: Vec.load(reluOutput + o + ch) .<= 0)
              Vec.store(g, dy + o + ch)
            }
            Vec.store(Vec.load(acc + ch) + g, acc + ch)
            for k in 0..<terms {
              let centred = Vec.load(xs[k] + o + ch) - Vec.load(means + k * c + ch)
              Vec.store(Vec.load(acc + (k + 1) * c + ch) + g * centred, acc + (k + 1) * c + ch)
            }
            ch += 16
          }
          while ch < c {
            if let reluOutput, reluOutput[o + ch] <= 0 { dy[o + ch] = 0 }
            let g = dy[o + ch]
            acc[ch] += g
            for k in 0..<terms { acc[(k + 1) * c + ch] += g * (xs[k][o + ch] - means[k * c + ch]) }
            ch += 1
          }
        }
        for i in 0..<width { total[i] += Double(acc[i]) }
        p = end
      }
    } }
    // dx = s·(dy − Σdy/n) − s³·(Σdy·(x − mean)/n)·(x − mean) = A·dy + B·x + C per channel.
    let n = Double(pixels)
    let abc = Buffer.allocate(3 * terms * c)
    defer { Buffer.free(abc) }
    for k in 0..<terms {
      for ch in 0..<c {
        var sdy = 0.0, sdyx = 0.0
        for part in 0..<parts { sdy += sums[width * part + ch]; sdyx += sums[width * part + (k + 1) * c + ch] }
        let s = Double(normalized[k].moments.invStd[ch]), mean = Double(normalized[k].moments.mean[ch])
        let g = Double(normalized[k].scale(ch))
        let slope = batchStatistics ? g * s * s * s * sdyx / n : 0
        abc[3 * k * c + ch] = Float(g * s)
        abc[(3 * k + 1) * c + ch] = Float(-slope)
        abc[(3 * k + 2) * c + ch] = batchStatistics ? Float(slope * mean - g * s * sdy / n) : 0
        if k < parameterGradients.count, let (dGamma, dBeta) = parameterGradients[k] {
          dGamma[ch] += Float(s * sdyx); dBeta[ch] += Float(sdy)
        }
      }
    }
    // Pass 2: every term's gradient.
    OpenMPTeam.run(threads: parts) { part, used in
      let range = OpenMPTeam.slice(pixels, part: part, parts: used)
      for k in 0..<terms {
        guard let (dx, overwrite) = outputs[k] else { continue }
        let x = xs[k], a = abc + 3 * k * c, b = a + c, k0 = b + c
        for q in range {
          let o = q * c
          var ch = 0
          while ch + 16 <= c {
            var v = Vec.load(dy + o + ch) * Vec.load(a + ch) + Vec.load(x + o + ch) * Vec.load(b + ch) + Vec.load(k0 + ch)
            if !overwrite { v += Vec.load(dx + o + ch) }
            Vec.store(v, dx + o + ch)
            ch += 16
          }
          while ch < c {
            let v = dy[o + ch] * a[ch] + x[o + ch] * b[ch] + k0[ch]
            dx[o + ch] = overwrite ? v : dx[o + ch] + v
            ch += 1
          }
        }
      }
    }
  }

  /// Threads to use: the team above `minParallelCount` floats, never more than there are pixels.
  private static func split(_ count: Int, threads: Int, pixels: Int) -> Int {
    count >= minParallelCount ? max(1, min(threads, pixels)) : 1
  }


  /// A C array of input pointers (the hot loops index it instead of a Swift array).
  private struct Pointers {
    let base: UnsafeMutablePointer<UnsafePointer<Float>>
    init(_ pointers: [UnsafePointer<Float>]) {
      base = .allocate(capacity: max(pointers.count, 1))
      for (i, p) in pointers.enumerated() { (base + i).initialize(to: p) }
    }
    func free() { base.deallocate() }
  }
}

private extension Shape {
  /// Rows of an nhwc tensor seen as [pixels, channels].
  var pixels: Int { n * h * w }
}
