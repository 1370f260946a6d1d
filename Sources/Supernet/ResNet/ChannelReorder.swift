import Engine

extension ResNetSupernet {
  /// The reference's importance reordering (method doc §1.1): in every block, mid channels are sorted by
  /// the L1 norm of conv2's weights over each input channel (descending), and conv1's output filters,
  /// BN1 (γ, β, running mean and var) and conv2's input channels are permuted to match, so the prefix
  /// slices of narrower subnets hold the most important filters. Output (residual) channels are not touched.
  public func reorderMidChannelsByImportance() {
    for stage in stages {
      for blk in stage {
        let w2 = blk.conv2.weight, w1 = blk.conv1.weight
        let (o2, c2, k2) = (w2.shape[0], w2.shape[1], w2.shape[2] * w2.shape[3])
        var importance = [Double](repeating: 0, count: c2)
        for o in 0..<o2 { for c in 0..<c2 { for j in 0..<k2 { importance[c] += Double(abs(w2.value[(o * c2 + c) * k2 + j])) } } }
        let order = (0..<c2).sorted { importance[$0] > importance[$1] || (importance[$0] == importance[$1] && $0 < $1) }
        // conv1 output filters (rows of [mid, cin, k, k]).
        let row = w1.count / w1.shape[0]
        let old1 = w1.values
        for (newIdx, oldIdx) in order.enumerated() {
          for j in 0..<row { w1.value[newIdx * row + j] = old1[oldIdx * row + j] }
        }
        for p in [blk.bn1.gamma, blk.bn1.beta, blk.bn1.runningMean, blk.bn1.runningVar].compactMap({ $0 }) {
          let old = p.values
          for (newIdx, oldIdx) in order.enumerated() { p.value[newIdx] = old[oldIdx] }
        }
        // conv2 input channels.
        let old2 = w2.values
        for o in 0..<o2 {
          for (newIdx, oldIdx) in order.enumerated() {
            for j in 0..<k2 { w2.value[(o * c2 + newIdx) * k2 + j] = old2[(o * c2 + oldIdx) * k2 + j] }
          }
        }
      }
    }
  }
}
