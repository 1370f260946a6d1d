/// NAS-Bench-201's `avg_pool_3x3` (stride 1, padding 1, padded cells not counted) as a separable box filter on
/// nhwc data: per output row, the (up to) three input rows are summed into one row, then each pixel adds its left
/// and right neighbours and takes its count's reciprocal. oneDNN's jit pooling reads the nine taps of every output
/// (measured on a Xeon without AMX, one thread, batch 64: 1.32 ms forward and 1.65 ms backward at C=16, 32×32,
/// against 0.52 ms for a separable loop), and NB201's SPOS step spent about a fifth of its time there.
///
/// The window's count is separable too: count(h, w) = rows(h) × cols(w), with rows(h) = 3 inside, 2 at an edge,
/// 1 when the map is one row high. So the backward, dx(h, w) = Σ over the outputs (h', w') whose window holds
/// (h, w) of dy(h', w') / count(h', w'), weights each dy row by 1/rows(h') while summing rows and each pixel by
/// 1/cols(w') before the horizontal sum.
enum BoxPool3x3 {
  /// Floats below which the work stays on the calling thread (a team wake-up costs more than it saves).
  static let minParallelCount = 1 << 16

  /// y = avgPool3x3(x); x and y are [n, h, w, c] (nhwc).
  static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ s: Shape, threads: Int) {
    sweep(x, y, s, adjoint: false, overwrite: true, threads: threads)
  }

  /// dx (+)= the adjoint of `forward` applied to dy; `overwrite` when dx holds no gradient yet.
  static func backward(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ s: Shape, overwrite: Bool,
                       threads: Int) {
    sweep(dy, dx, s, adjoint: true, overwrite: overwrite, threads: threads)
  }

  /// One pass of the filter, row by row. Forward: the rows summed, the horizontal sum scaled by the output pixel's
  /// 1/count. Adjoint: each input row weighted by its own 1/rows before the sum, each pixel by its 1/cols before the
  /// horizontal sum.
  private static func sweep(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ s: Shape, adjoint: Bool,
                            overwrite: Bool, threads: Int) {
    let row = s.w * s.c, image = s.h * row
    let rows = { (h: Int) -> Float in Float(min(h + 1, s.h - 1) - max(h - 1, 0) + 1) }
    split(s, threads: threads) { images in
      let t = Buffer.allocate(row)
      defer { Buffer.free(t) }
      for b in images {
        let from = src + b * image, to = dst + b * image
        for h in 0..<s.h {
          let lo = max(h - 1, 0), count = min(h + 1, s.h - 1) - lo + 1
          let weights: (Float, Float, Float) = adjoint ? (1 / rows(lo), 1 / rows(lo + 1), 1 / rows(lo + 2)) : (1, 1, 1)
          weightedRows(from + lo * row, count, row, weights: weights, into: t)
          neighbours(t, into: to + h * row, s, rowScale: adjoint ? 1 : 1 / Float(count), scaleBefore: adjoint,
                     overwrite: overwrite)
        }
      }
    }
  }

  /// Images cut into one contiguous range per thread of oneDNN's team (all on the caller when small).
  private static func split(_ s: Shape, threads: Int, _ body: (Range<Int>) -> Void) {
    let parts = s.n * s.h * s.w * s.c >= minParallelCount ? min(threads, s.n) : 1
    OpenMPTeam.run(threads: parts) { part, parts in body(OpenMPTeam.slice(s.n, part: part, parts: parts)) }
  }

  /// t = Σ_k w_k · src[k·row ..< (k+1)·row] over `count` (1–3) consecutive rows; weights past `count` unused.
  /// (A missing row is read as the first with weight 0, so one loop serves every case; a non-finite input then
  /// gives NaN where oneDNN gives ±Inf, which the trainer's finite check treats alike.)
  @inline(__always)
  private static func weightedRows(_ src: UnsafePointer<Float>, _ count: Int, _ row: Int, weights: (Float, Float, Float),
                                   into t: UnsafeMutablePointer<Float>) {
    let w0 = weights.0, w1 = count > 1 ? weights.1 : 0, w2 = count > 2 ? weights.2 : 0
    let r1 = count > 1 ? src + row : src, r2 = count > 2 ? src + 2 * row : src
    var i = 0
    while i + 16 <= row {
      let a = Vec.load(src + i), b = Vec.load(r1 + i), c = Vec.load(r2 + i)
      Vec.store(a * w0 + b * w1 + c * w2, t + i)
      i += 16
    }
    while i < row { t[i] = src[i] * w0 + r1[i] * w1 + r2[i] * w2; i += 1 }
  }

  /// out[w] (=|+=) Σ_{w' ∈ {w-1, w, w+1} inside} f(w') · t[w'], pixels `c` floats apart. scaleBefore (backward):
  /// f(w') = 1/cols(w'); otherwise (forward) the sum is scaled by rowScale/cols(w) of the output pixel.
  @inline(__always)
  private static func neighbours(_ t: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>, _ s: Shape,
                                 rowScale: Float, scaleBefore: Bool, overwrite: Bool) {
    let c = s.c, row = s.w * c
    if s.w == 1 {  // a one-pixel-wide map: the window is the pixel's column only
      emit(t, nil, nil, rowScale, out, 0..<c, overwrite)
      return
    }
    if scaleBefore {  // the edge pixels are in two windows, counted 2 wide; the inner ones 3 wide
      Vec.scale(t, by: 1 / 2, into: t, c)
      Vec.scale(t + c, by: 1 / 3, into: t + c, row - 2 * c)
      Vec.scale(t + row - c, by: 1 / 2, into: t + row - c, c)
    }
    let edge = scaleBefore ? rowScale : rowScale / 2, inner = scaleBefore ? rowScale : rowScale / 3
    emit(t, nil, t + c, edge, out, 0..<c, overwrite)
    emit(t, t - c, t + c, inner, out, c..<(row - c), overwrite)
    emit(t, t - c, nil, edge, out, (row - c)..<row, overwrite)
  }

  /// out[i] (=|+=) (t[i] + left[i] + right[i]) · k over `range`; a nil neighbour is absent.
  @inline(__always)
  private static func emit(_ t: UnsafePointer<Float>, _ left: UnsafePointer<Float>?, _ right: UnsafePointer<Float>?,
                           _ k: Float, _ out: UnsafeMutablePointer<Float>, _ range: Range<Int>, _ overwrite: Bool) {
    // Absent neighbours read the centre with weight 0, so one loop serves every case.
    let l = left ?? t, r = right ?? t, wl: Float = left == nil ? 0 : 1, wr: Float = right == nil ? 0 : 1
    var i = range.lowerBound
    while i + 16 <= range.upperBound {
      let v = (Vec.load(t + i) + Vec.load(l + i) * wl + Vec.load(r + i) * wr) * k
      Vec.store(overwrite ? v : Vec.load(UnsafePointer(out + i)) + v, out + i)
      i += 16
    }
    while i < range.upperBound {
      let v = (t[i] + l[i] * wl + r[i] * wr) * k
      out[i] = overwrite ? v : out[i] + v
      i += 1
    }
  }

}
