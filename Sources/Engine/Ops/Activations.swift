import CDNNL

extension Tape {
  /// x·σ(x), any shape.
  public func swish(_ x: Tensor) -> Tensor { pair("swish", x, .eltwise(alg: dnnl_eltwise_swish.rawValue, alpha: 1)) }
  /// x·tanh(softplus(x)), any shape.
  public func mish(_ x: Tensor) -> Tensor { pair("mish", x, .eltwise(alg: dnnl_eltwise_mish.rawValue, alpha: 0)) }

  /// PReLU with one learnable slope `a` (a 1-element parameter, PyTorch's default num_parameters=1):
  /// y = x if x > 0 else a·x, any shape.
  public func prelu(_ x: Tensor, slope: Parameter) -> Tensor {
    let a = slope.value[0]
    let y = Tensor(shape: x.shape, requiresGrad: true)
    let n = x.count
    for i in 0..<n { let v = x.data[i]; y.data[i] = v > 0 ? v : a * v }
    record("prelu(\(slope.name))", y) {
      guard let dy = y.grad else { return }
      var da = 0.0
      for i in 0..<n where x.data[i] <= 0 { da += Double(x.data[i] * dy[i]) }
      slope.grad[0] += Float(da)
      slope.touched = true
      guard x.requiresGrad else { return }
      let (dx, overwrite) = x.gradForWriting()
      if overwrite {
        for i in 0..<n { dx[i] = x.data[i] > 0 ? dy[i] : a * dy[i] }
      } else {
        for i in 0..<n { dx[i] += x.data[i] > 0 ? dy[i] : a * dy[i] }
      }
    }
    return y
  }
}
