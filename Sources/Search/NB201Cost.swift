extension NB201Space {
  /// Analytic FLOPs of the network for cell `e`, counting exactly what the supernet computes for it:
  /// conv multiply-accumulates `H·W·C_out·k²·C_in` + `2·numel` for every BN (affine or not) + the linear
  /// layer `C_in·classes`. All pooling (avg_pool_3x3 edges, the reductions' 2×2 shortcut pool, the global
  /// average pool) counts 0, as do none, skip_connect, ReLU and the node sums: the space's spread comes
  /// from the convolutions, and a pool is an order of magnitude below a conv of the same map.
  /// Every edge is computed, even one whose node does not reach the output, because the network does.
  public func flops(_ e: Encoding) -> Double { cost(e).flops }

  /// Learnable parameters: conv weights (none has bias), γ and β of the affine BNs (stem, the reductions,
  /// the last BN; cell BNs only when `cellBatchNormAffine`), linear weights and bias.
  public func params(_ e: Encoding) -> Int { cost(e).params }

  /// The macro network of method doc §11: stem conv3x3 + BN; N cells at C; residual reduction to 2C;
  /// N cells; reduction to 4C; N cells; BN + ReLU; global average pool; linear.
  func cost(_ e: Encoding) -> CostTally {
    let ops = (0..<NB201Space.edgeCount).map { $0 < e.count ? e.digits[$0] : NB201Space.opNone }
    var t = CostTally()
    var c = config.C
    var side = t.conv(kernel: 3, cin: config.inputChannels, cout: c, side: config.inputSize)
    t.batchNorm(channels: c, side: side)
    for stage in 0..<3 {
      if stage > 0 {
        side = reduction(&t, cin: c, cout: 2 * c, side: side)
        c *= 2
      }
      for _ in 0..<config.N {
        for op in ops {
          let kernel: Int
          switch op {
          case NB201Space.opConv1x1: kernel = 1
          case NB201Space.opConv3x3: kernel = 3
          default: continue
          }
          t.conv(kernel: kernel, cin: c, cout: c, side: side)
          t.batchNorm(channels: c, side: side, affine: config.cellBatchNormAffine)
        }
      }
    }
    t.batchNorm(channels: c, side: side)
    t.linear(cin: c, cout: config.classes)
    return t
  }

  /// The residual reduction block: ReLU-conv3x3/2-BN, ReLU-conv3x3-BN, shortcut avgpool2×2/2 + conv1×1
  /// (no BN). Returns the output side.
  private func reduction(_ t: inout CostTally, cin: Int, cout: Int, side: Int) -> Int {
    let out = t.conv(kernel: 3, cin: cin, cout: cout, side: side, stride: 2)
    t.batchNorm(channels: cout, side: out)
    t.conv(kernel: 3, cin: cout, cout: cout, side: out)
    t.batchNorm(channels: cout, side: out)
    t.conv(kernel: 1, cin: cin, cout: cout, side: out)
    return out
  }
}

extension NB201Space {
  /// Plain Hamming distance over the 6 edges (uniform random pairs average 6·4/5 = 4.8).
  public func distance(_ a: Encoding, _ b: Encoding) -> Double {
    var d = 0
    for k in 0..<max(a.count, b.count) where k >= a.count || k >= b.count || a.digits[k] != b.digits[k] { d += 1 }
    return Double(d)
  }

  /// Sum over edges of `opDistance`: a distance that knows a 1×1 and a 3×3 conv are closer to each other
  /// than a conv is to a parameter-free op.
  public func weightedDistance(_ a: Encoding, _ b: Encoding) -> Double {
    var d = 0.0
    for k in 0..<min(a.count, b.count) { d += NB201Space.opDistance(a.digits[k], b.digits[k]) }
    return d + 2 * Double(max(a.count, b.count) - min(a.count, b.count))
  }

  /// Distance between two ops. The paper's weighted variant gives conv↔conv 0.5, conv↔(skip|pool) 2 and
  /// skip↔pool 0.5, and leaves `none` open. We treat `none` as one more parameter-free op: none↔conv 2,
  /// none↔(skip|pool) 0.5. With that choice the mean over uniform random pairs is 6·28/25 = 6.72, which is
  /// exactly the published threshold "6.7 (the mean)", so the paper's threshold keeps its meaning here
  /// (putting none↔skip/pool at 1 would move the mean to 7.2). Same op: 0.
  public static func opDistance(_ x: UInt8, _ y: UInt8) -> Double {
    if x == y { return 0 }
    func isConv(_ o: UInt8) -> Bool { o == opConv1x1 || o == opConv3x3 }
    return isConv(x) == isConv(y) ? 0.5 : 2
  }
}
