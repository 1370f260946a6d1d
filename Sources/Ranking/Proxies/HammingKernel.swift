/// NASWOT's kernel (Mellor et al. 2021): K_ij = number of ReLU units on which samples i and j agree
/// (both active or both inactive), summed over every ReLU of the forward pass. Equivalent to the reference's
/// `c·cᵀ + (1−c)·(1−c)ᵀ` on the binary codes c = (x > 0), computed as `units − popcount(cᵢ xor cⱼ)`
/// on bit-packed codes so a 64-sample batch over millions of units stays cheap.
final class HammingKernel {
  let samples: Int
  /// Disagreement counts, row-major samples×samples (upper triangle used).
  private var disagreements: [Int]
  /// Units seen per sample (the diagonal of K).
  private(set) var units = 0
  private var words: [UInt64] = []

  init(samples: Int) {
    self.samples = samples
    disagreements = [Int](repeating: 0, count: samples * samples)
  }

  /// Adds the codes of one ReLU input: `count` floats, sample-major (`samples` equal rows).
  func add(_ data: UnsafePointer<Float>, count: Int) {
    guard samples > 0, count % samples == 0 else { return }
    let perSample = count / samples
    let wordsPerSample = (perSample + 63) / 64
    if words.count < wordsPerSample * samples {
      words = [UInt64](repeating: 0, count: wordsPerSample * samples)
    }
    words.withUnsafeMutableBufferPointer { w in
      for s in 0..<samples {
        let row = data + s * perSample
        let out = w.baseAddress! + s * wordsPerSample
        let fullWords = perSample / 64
        for k in 0..<fullWords { out[k] = Self.pack64(row + k * 64) }
        if fullWords < wordsPerSample {
          var bits: UInt64 = 0
          for j in (fullWords * 64)..<perSample where row[j] > 0 { bits |= 1 << UInt64(j - fullWords * 64) }
          out[fullWords] = bits
        }
      }
      for i in 0..<samples {
        let a = w.baseAddress! + i * wordsPerSample
        for j in (i + 1)..<max(i + 1, samples) {
          let b = w.baseAddress! + j * wordsPerSample
          var d = 0
          for k in 0..<wordsPerSample { d += (a[k] ^ b[k]).nonzeroBitCount }
          disagreements[i * samples + j] += d
        }
      }
    }
    units += perSample
  }

  private static let lanePowers: SIMD16<UInt32> = {
    var p = SIMD16<UInt32>()
    for i in 0..<16 { p[i] = 1 << UInt32(i) }
    return p
  }()

  /// Bit j of the result is (x[j] > 0), for 64 floats; vectorised (a scalar branch per float dominated).
  @inline(__always)
  private static func pack64(_ x: UnsafePointer<Float>) -> UInt64 {
    let raw = UnsafeRawPointer(x)
    var bits: UInt64 = 0
    for q in 0..<4 {
      let v = raw.loadUnaligned(fromByteOffset: q * 64, as: SIMD16<Float>.self)
      let chunk = SIMD16<UInt32>(repeating: 0).replacing(with: lanePowers, where: v .> 0).wrappedSum()
      bits |= UInt64(chunk) << UInt64(16 * q)
    }
    return bits
  }

  /// K as a symmetric row-major Float64 matrix.
  var matrix: [Double] {
    var k = [Double](repeating: Double(units), count: samples * samples)
    for i in 0..<samples {
      for j in (i + 1)..<max(i + 1, samples) {
        let v = Double(units - disagreements[i * samples + j])
        k[i * samples + j] = v
        k[j * samples + i] = v
      }
    }
    return k
  }
}
