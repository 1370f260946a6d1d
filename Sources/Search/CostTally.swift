/// Accumulates the analytic cost of a network layer by layer, under one convention for both spaces
/// (the reference's `paddle.flops` as described in method doc §3.1):
/// a convolution costs its multiply-accumulates `H_out·W_out·C_out·k²·C_in` (no bias term), a batch norm
/// `2·numel(output)`, a linear layer `C_in·C_out`; activations, additions and zero ops cost nothing.
/// Pooling is counted by each space (see there), because the two reference conventions differ.
struct CostTally {
  var flops = 0.0
  var params = 0

  /// Output side of a k×k conv (or pool) with padding k/2 and `stride`, as every layer here is padded.
  static func outputSide(_ side: Int, stride: Int) -> Int { (side - 1) / stride + 1 }

  /// A bias-free conv over a square map; returns the output side.
  @discardableResult
  mutating func conv(kernel k: Int, cin: Int, cout: Int, side: Int, stride: Int = 1) -> Int {
    let out = CostTally.outputSide(side, stride: stride)
    flops += Double(out * out) * Double(cout) * Double(k * k) * Double(cin)
    params += k * k * cin * cout
    return out
  }

  /// A batch norm over `channels` maps of side `side`; γ and β are parameters only when affine.
  mutating func batchNorm(channels c: Int, side: Int, affine: Bool = true) {
    flops += 2 * Double(side * side) * Double(c)
    if affine { params += 2 * c }
  }

  /// A fully connected layer with bias; the bias adds parameters but, by the convention, no FLOPs.
  mutating func linear(cin: Int, cout: Int) {
    flops += Double(cin) * Double(cout)
    params += cin * cout + cout
  }
}
