import CDNNL

extension Tape {
  /// y = x·W[:out, :in]ᵀ + b[:out], with `W` the full [outMax, inMax] weight (in = x's features).
  ///   x: [n, in] → y: [n, outFeatures]
  public func linear(_ x: Tensor, _ weight: Parameter, bias: Parameter?, outFeatures: Int) -> Tensor {
    let n = x.shape.n, fin = x.shape.c, ld = weight.shape[1]
    precondition(x.shape.rank == 2 && fin <= ld && outFeatures <= weight.shape[0],
                 "linear: slice [\(outFeatures), \(fin)] exceeds \(weight.name) \(weight.shape)")
    let y = Tensor(shape: Shape(n, outFeatures), requiresGrad: true)
    costs?.linearMACs += Double(fin * outFeatures)
    if let bias {
      for b in 0..<n { (y.data + b * outFeatures).update(from: bias.value, count: outFeatures) }
    }
    dnnlCheck(dnnl_sgemm(CChar(78), CChar(84), Int64(n), Int64(outFeatures), Int64(fin), 1, x.data, Int64(fin),
                         weight.value, Int64(ld), bias == nil ? 0 : 1, y.data, Int64(outFeatures)), "sgemm fwd")
    record("linear(\(weight.name))", y) {
      guard let dy = y.grad else { return }
      // dW[:out, :in] += dyᵀ·x  (accumulates into the slice of the full gradient: ldc = inMax)
      dnnlCheck(dnnl_sgemm(CChar(84), CChar(78), Int64(outFeatures), Int64(fin), Int64(n), 1, dy, Int64(outFeatures),
                           x.data, Int64(fin), 1, weight.grad, Int64(ld)), "sgemm dW")
      weight.touched = true
      if let bias {
        for b in 0..<n { Vec.add(dy + b * outFeatures, into: bias.grad, outFeatures) }
        bias.touched = true
      }
      guard x.requiresGrad else { return }
      let (dx, overwrite) = x.gradForWriting()
      dnnlCheck(dnnl_sgemm(CChar(78), CChar(78), Int64(n), Int64(fin), Int64(outFeatures), 1, dy, Int64(outFeatures),
                           weight.value, Int64(ld), overwrite ? 0 : 1, dx, Int64(fin)), "sgemm dx")
    }
    return y
  }
}
