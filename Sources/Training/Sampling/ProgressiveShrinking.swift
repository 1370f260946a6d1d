import Common
import Search

/// Once-for-all progressive shrinking for the `resnet` space (method doc §2.2): first a depth task, then a
/// width task, each in phases that widen the sampled range. The reference's epoch ends (20/28/34 of 70 for
/// depth phases 1–3, then 45/50/55/60/65/70 for width phases 1–6) are kept as fractions of the run.
public struct ProgressiveShrinking: Sendable {
  public let space: ResNetSpace
  public let epochs: Int
  static let phaseEnds: [Double] = [20, 28, 34, 45, 50, 55, 60, 65, 70].map { $0 / 70 }

  public init(space: ResNetSpace, epochs: Int) {
    self.space = space
    self.epochs = epochs
  }

  /// 0-based phase index: 0–2 depth phases, 3–8 width phases.
  public func phase(epoch: Int) -> Int {
    let f = (Double(epoch) + 0.5) / Double(max(1, epochs))
    return Self.phaseEnds.firstIndex { f < $0 } ?? Self.phaseEnds.count - 1
  }

  public func sample(epoch: Int, rng: inout RandomSource) -> Encoding {
    let cfg = space.config
    let ph = phase(epoch: epoch)
    var depths: [Int], outCodes: [Int], mids: [[Int]]
    // Codes sorted widest first (code 1 = ratio 1.0).
    let sortedCodes = cfg.widthCodesPerStage.map { $0.sorted() }
    if ph < 3 {
      // Depth task at full width: stage depth uniform in [max − shrink, max].
      let k = ph + 1
      depths = (0..<space.stageCount).map { s in
        let maxD = cfg.maxDepths[s]
        let shrink = min(maxD - cfg.minDepth, maxD > 5 ? 2 * k : k)
        return maxD - rng.uniform(below: shrink + 1)
      }
      outCodes = sortedCodes.map { $0[0] }
      mids = (0..<space.stageCount).map { s in Array(repeating: sortedCodes[s][0], count: depths[s]) }
    } else {
      // Width task: codes from the first (phase + 1) widest entries, depth fully random.
      let k = ph - 3 + 2
      depths = (0..<space.stageCount).map { s in cfg.minDepth + rng.uniform(below: cfg.maxDepths[s] - cfg.minDepth + 1) }
      outCodes = sortedCodes.map { rng.pick(Array($0.prefix(k))) }
      mids = (0..<space.stageCount).map { s in (0..<depths[s]).map { _ in rng.pick(Array(sortedCodes[s].prefix(k))) } }
    }
    return try! space.make(depths: depths, outCodes: outCodes, midCodes: mids)
  }
}
