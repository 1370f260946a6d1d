/// Vectorised loops on raw float buffers. Written with SIMD16 so they compile to AVX-512/AVX2 code
/// instead of scalar loops (a plain `x > 0 ? dy : 0` loop did not vectorise; see platform notes).
enum Vec {
  @inline(__always)
  static func add(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + 16 <= n {
      let a = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self)
      let b = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD16<Float>.self)
      UnsafeMutableRawPointer(dst + i).storeBytes(of: a + b, as: SIMD16<Float>.self)
      i += 16
    }
    while i < n { dst[i] += src[i]; i += 1 }
  }

  @inline(__always)
  static func sum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + 16 <= n {
      let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
      let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
      UnsafeMutableRawPointer(dst + i).storeBytes(of: x + y, as: SIMD16<Float>.self)
      i += 16
    }
    while i < n { dst[i] = a[i] + b[i]; i += 1 }
  }

  /// dst = Σ srcs, three or more at a time in one pass (each 16-float block of every input read once).
  static func sum(_ srcs: [UnsafePointer<Float>], into dst: UnsafeMutablePointer<Float>, _ n: Int) {
    let k = srcs.count
    srcs.withUnsafeBufferPointer { p in
      var i = 0
      while i + 16 <= n {
        var acc = UnsafeRawPointer(p[0] + i).loadUnaligned(as: SIMD16<Float>.self)
        for j in 1..<k { acc += UnsafeRawPointer(p[j] + i).loadUnaligned(as: SIMD16<Float>.self) }
        UnsafeMutableRawPointer(dst + i).storeBytes(of: acc, as: SIMD16<Float>.self)
        i += 16
      }
      while i < n {
        var acc = p[0][i]
        for j in 1..<k { acc += p[j][i] }
        dst[i] = acc; i += 1
      }
    }
  }

  @inline(__always)
  static func scale(_ src: UnsafePointer<Float>, by s: Float, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { dst[i] = src[i] * s }
  }

  /// True when every value is finite (NaN and ±Inf both fail `x - x == 0`).
  static func allFinite(_ p: UnsafePointer<Float>, _ n: Int) -> Bool {
    var acc = SIMD16<Float>(repeating: 0)
    var i = 0
    while i + 16 <= n {
      let x = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
      acc += x - x
      i += 16
    }
    var tail: Float = 0
    while i < n { tail += p[i] - p[i]; i += 1 }
    return acc.sum() == 0 && tail == 0
  }

  static func sumSquares(_ p: UnsafePointer<Float>, _ n: Int) -> Double {
    var acc = SIMD16<Float>(repeating: 0)
    var total = 0.0
    var i = 0
    while i + 16 <= n {
      let x = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
      acc += x * x
      i += 16
      if i % 4096 == 0 { total += Double(acc.sum()); acc = .zero }
    }
    total += Double(acc.sum())
    while i < n { total += Double(p[i] * p[i]); i += 1 }
    return total
  }

  /// dst = max(a + b, 0)
  static func sumReLU(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    let zero = SIMD16<Float>(repeating: 0)
    while i + 16 <= n {
      let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
        + UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
      UnsafeMutableRawPointer(dst + i).storeBytes(of: x.replacing(with: zero, where: x .< zero), as: SIMD16<Float>.self)
      i += 16
    }
    while i < n { dst[i] = max(a[i] + b[i], 0); i += 1 }
  }

  /// relu = max(Σ srcs, 0) and, when `sum` is given, sum = Σ srcs, in one pass (one source: a plain ReLU).
  static func sumReLU(_ srcs: [UnsafePointer<Float>], sum: UnsafeMutablePointer<Float>?, relu: UnsafeMutablePointer<Float>,
                      _ n: Int) {
    let k = srcs.count
    let zero = SIMD16<Float>(repeating: 0)
    srcs.withUnsafeBufferPointer { p in
      var i = 0
      while i + 16 <= n {
        var acc = UnsafeRawPointer(p[0] + i).loadUnaligned(as: SIMD16<Float>.self)
        for j in 1..<k { acc += UnsafeRawPointer(p[j] + i).loadUnaligned(as: SIMD16<Float>.self) }
        if let sum { UnsafeMutableRawPointer(sum + i).storeBytes(of: acc, as: SIMD16<Float>.self) }
        UnsafeMutableRawPointer(relu + i).storeBytes(of: acc.replacing(with: zero, where: acc .< zero),
                                                     as: SIMD16<Float>.self)
        i += 16
      }
      while i < n {
        var acc = p[0][i]
        for j in 1..<k { acc += p[j][i] }
        sum?[i] = acc
        relu[i] = max(acc, 0); i += 1
      }
    }
  }

  /// dst += src where y > 0 (ReLU backward adding into an existing gradient; y its input or output).
  static func addMaskPositive(_ src: UnsafePointer<Float>, where y: UnsafePointer<Float>,
                              into dst: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    let zero = SIMD16<Float>(repeating: 0)
    while i + 16 <= n {
      let g = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self)
      let v = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
      let d = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD16<Float>.self)
      UnsafeMutableRawPointer(dst + i).storeBytes(of: d + g.replacing(with: zero, where: v .<= zero),
                                                  as: SIMD16<Float>.self)
      i += 16
    }
    while i < n { if y[i] > 0 { dst[i] += src[i] }; i += 1 }
  }

  /// dst = src where y > 0, else 0 (ReLU backward from its input or output).
  static func maskPositive(_ src: UnsafePointer<Float>, where y: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>,
                           _ n: Int) {
    var i = 0
    let zero = SIMD16<Float>(repeating: 0)
    while i + 16 <= n {
      let g = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self)
      let v = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
      UnsafeMutableRawPointer(dst + i).storeBytes(of: g.replacing(with: zero, where: v .<= zero), as: SIMD16<Float>.self)
      i += 16
    }
    while i < n { dst[i] = y[i] > 0 ? src[i] : 0; i += 1 }
  }
}

extension Vec {
  /// 16 floats from p (any alignment): the load every SIMD16 kernel of the engine uses.
  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
  }
  @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
  }
  /// 16 floats to p (any alignment).
  @inline(__always) static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
  }
}
