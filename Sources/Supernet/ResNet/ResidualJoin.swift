import Engine

extension Tape {
  /// A resnet block's join, relu(BN(z) + shortcut), as one `nodeSum` each way: the shortcut is BN of the projection
  /// conv's output when the block has one, else `identity` (evaluated only then). The BN outputs are never written.
  func residualJoinReLU(_ z: Tensor, _ bn: BatchNormParams, projected: (Tensor, BatchNormParams)?,
                        identity: @autoclosure () -> Tensor) -> Tensor {
    let plain = projected == nil ? [identity()] : []
    return nodeSum(plain: plain, normalized: [(z, bn)] + (projected.map { [$0] } ?? []), relu: true)!.relu!
  }
}
