import Common
import Search

/// FairNAS strict fairness: a group of K paths in which every choice of every free position is used
/// exactly once (K = the number of choices). For `nb201` each edge gets a random permutation of the 5 ops.
/// For `resnet` (tied digits) every mid-code position and every stage's output code gets its own
/// permutation of the stage's choice set, with one random depth per stage shared by the group (as the
/// reference's fair configs); a stage with fewer choices than K repeats fresh permutations.
public struct FairSampler: Sendable {
  public let space: any SearchSpace

  public func group(rng: inout RandomSource) -> [Encoding] {
    if let nb = space as? NB201Space { return nb201Group(nb, rng: &rng) }
    if let rs = space as? ResNetSpace { return resnetGroup(rs, rng: &rng) }
    return [space.sample(using: &rng)]
  }

  /// `count` values: back-to-back shuffles of `choices` (each choice equally often when count divides).
  static func permuted(_ choices: [Int], count: Int, rng: inout RandomSource) -> [Int] {
    var out: [Int] = []
    while out.count < count {
      var p = choices
      for i in stride(from: p.count - 1, to: 0, by: -1) { p.swapAt(i, rng.uniform(below: i + 1)) }
      out += p
    }
    return Array(out.prefix(count))
  }

  func nb201Group(_ nb: NB201Space, rng: inout RandomSource) -> [Encoding] {
    let k = NB201Space.opCount
    let perEdge = (0..<NB201Space.edgeCount).map { _ in Self.permuted(Array(0..<k), count: k, rng: &rng) }
    return (0..<k).map { i in Encoding(digits: perEdge.map { UInt8($0[i]) }) }
  }

  func resnetGroup(_ rs: ResNetSpace, rng: inout RandomSource) -> [Encoding] {
    let cfg = rs.config
    let k = cfg.widthCodesPerStage.map(\.count).max() ?? 1
    let depths = (0..<rs.stageCount).map { s in cfg.minDepth + rng.uniform(below: cfg.maxDepths[s] - cfg.minDepth + 1) }
    let outs = (0..<rs.stageCount).map { s in Self.permuted(cfg.widthCodesPerStage[s], count: k, rng: &rng) }
    let mids = (0..<rs.stageCount).map { s in
      (0..<depths[s]).map { _ in Self.permuted(cfg.widthCodesPerStage[s], count: k, rng: &rng) }
    }
    return (0..<k).map { i in
      try! rs.make(depths: depths, outCodes: outs.map { $0[i] }, midCodes: mids.map { $0.map { $0[i] } })
    }
  }
}
