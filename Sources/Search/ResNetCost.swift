extension ResNetSpace {
  /// Analytic FLOPs of the stand-alone network for `e`, the reference's convention (method doc §3.1):
  /// Σ_conv H_out·W_out·C_out·9·C_in (1 for the 1×1 shortcuts) + Σ_BN 2·numel(output)
  /// + global average pool (H·W + 1)·C + fc C·classes. ReLU/PReLU and the residual add count 0.
  /// At the config's `inputSize` (32 for CIFAR; the reference measured at 224 with a 7×7/2 stem and pool).
  public func flops(_ e: Encoding) -> Double { cost(e).flops }

  /// Learnable parameters: conv weights, BN γ and β (2 per channel), fc weights and bias, plus one PReLU
  /// slope per block when `outerActivationHasParameter`. BN running statistics are buffers, not counted.
  public func params(_ e: Encoding) -> Int { cost(e).params }

  /// Walks the network exactly as the supernet runs a subnet: stem conv3x3/1 + BN + ReLU, then each
  /// active BasicBlock (conv3x3(stride) → BN → ReLU → conv3x3 → BN, shortcut, add, activation), GAP, fc.
  func cost(_ e: Encoding) -> CostTally {
    let arch = decode(e)
    var t = CostTally()
    var side = arch.resolution
    var channels = arch.stemWidth
    side = t.conv(kernel: 3, cin: config.inputChannels, cout: channels, side: side)
    t.batchNorm(channels: channels, side: side)
    for (s, stage) in arch.blocks.enumerated() {
      for (b, block) in stage.enumerated() {
        let inSide = side
        side = t.conv(kernel: 3, cin: channels, cout: block.mid, side: inSide, stride: stride(stage: s, block: b))
        t.batchNorm(channels: block.mid, side: side)
        t.conv(kernel: 3, cin: block.mid, cout: block.out, side: side)
        t.batchNorm(channels: block.out, side: side)
        if hasProjectionShortcut(stage: s, block: b) {
          t.conv(kernel: 1, cin: channels, cout: block.out, side: inSide, stride: stride(stage: s, block: b))
          t.batchNorm(channels: block.out, side: side)
        }
        if config.outerActivationHasParameter { t.params += 1 }
        channels = block.out
      }
    }
    t.flops += Double(side * side + 1) * Double(channels)
    t.linear(cin: channels, cout: config.classes)
    return t
  }
}
