import Engine

extension Tape {
  /// A resnet block's join, relu(BN(z) + shortcut), as one `nodeSumReLU` each way: the shortcut is BN of the projection
  /// conv's output when the block has one, else `identity` (evaluated only then). Neither the BN outputs nor the
  /// pre-ReLU sum are written.
  func residualJoinReLU(_ z: Tensor, _ bn: BatchNormParams, projected: (Tensor, BatchNormParams)?,
                        identity: @autoclosure () -> Tensor) -> Tensor {
    let plain = projected == nil ? [identity()] : []
    return nodeSumReLU(plain: plain, normalized: [(z, bn)] + (projected.map { [$0] } ?? []))
  }
}
