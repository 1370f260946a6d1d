import Common
import Search

/// The free choices of an architecture as a list of genes, each with its own set of values, so that
/// mutation and crossover act on choices rather than on raw digits.
///
/// Working on raw digits would mostly produce invalid codes in the resnet space: changing a stage's depth
/// digit leaves its block slots padded with 0 or filled where they must be 0, and crossing two parents of
/// different depths mixes both. Here a resnet genome carries a mid code for every block slot (the slots
/// beyond the depth are latent, not written into the code), so a depth mutation switches blocks on with a
/// choice already in place. Every decoded code is still checked by `SearchSpace.validate`.
public struct GeneCoding: Sendable {
  /// Allowed values of each gene.
  public let choices: [[Int]]
  private let decodeGenes: @Sendable ([Int]) throws -> Encoding
  private let encodeCode: @Sendable (Encoding, inout RandomSource) -> [Int]

  public init(choices: [[Int]], decode: @escaping @Sendable ([Int]) throws -> Encoding,
              encode: @escaping @Sendable (Encoding, inout RandomSource) -> [Int]) {
    self.choices = choices; decodeGenes = decode; encodeCode = encode
  }

  /// The genes of a code; choices the code does not express (latent block slots) are drawn from `rng`.
  public func genes(of e: Encoding, using rng: inout RandomSource) -> [Int] { encodeCode(e, &rng) }

  public func encoding(of genes: [Int]) throws -> Encoding { try decodeGenes(genes) }

  /// The coding for a space: structured for resnet, one gene per digit for nb201 and any other space
  /// (whose digit choices are read off the space: every digit value that validates in that position).
  public static func forSpace(_ space: any SearchSpace) -> GeneCoding {
    if let r = space as? ResNetSpace { return resnet(r) }
    return digitwise(space)
  }

  /// Per stage: depth, output code, then one mid code per block slot.
  static func resnet(_ space: ResNetSpace) -> GeneCoding {
    let c = space.config
    var choices = [[Int]]()
    for s in 0..<space.stageCount {
      choices.append(Array(c.minDepth...c.maxDepths[s]))
      choices.append(c.widthCodesPerStage[s])
      for _ in 0..<c.maxDepths[s] { choices.append(c.widthCodesPerStage[s]) }
    }
    let allChoices = choices
    return GeneCoding(choices: choices, decode: { g in
      var depths = [Int](), outs = [Int](), mids = [[Int]]()
      var i = 0
      for s in 0..<space.stageCount {
        let depth = g[i], slots = c.maxDepths[s]
        depths.append(depth); outs.append(g[i + 1])
        mids.append(Array(g[(i + 2)..<(i + 2 + depth)]))
        i += 2 + slots
      }
      return try space.make(depths: depths, outCodes: outs, midCodes: mids)
    }, encode: { e, rng in
      var g = [Int]()
      var i = 0
      for s in 0..<space.stageCount {
        let depth = Int(e.digits[space.depthPosition(stage: s)])
        g.append(depth)
        g.append(Int(e.digits[space.midPosition(stage: s, block: 0) + 1]))
        for b in 0..<c.maxDepths[s] {
          g.append(b < depth ? Int(e.digits[space.midPosition(stage: s, block: b)]) : rng.pick(allChoices[i + 2 + b]))
        }
        i += 2 + c.maxDepths[s]
      }
      return g
    })
  }

  /// One gene per digit; a digit's choices are the values that keep the space's `largest` code valid when
  /// put in that position (for nb201: the five operations on every edge).
  static func digitwise(_ space: any SearchSpace) -> GeneCoding {
    let base = space.largest
    let choices = (0..<base.count).map { p in
      (0...9).filter { v in
        var d = base.digits
        d[p] = UInt8(v)
        return (try? space.validate(Encoding(digits: d))) != nil
      }
    }
    return GeneCoding(choices: choices, decode: { g in
      let e = Encoding(digits: g.map { UInt8($0) })
      try space.validate(e)
      return e
    }, encode: { e, _ in e.digits.map { Int($0) } })
  }

  /// Each gene, with probability `rate`, replaced by a different allowed value (and more until the code
  /// changes, so a mutant is never its parent).
  public func mutate(_ genes: [Int], rate: Double, using rng: inout RandomSource) -> [Int] {
    var out = genes
    let mutable = choices.indices.filter { choices[$0].count > 1 }
    guard !mutable.isEmpty else { return out }
    for i in mutable where Double(rng.nextFloat()) < rate {
      out[i] = rng.pick(choices[i].filter { $0 != genes[i] })
    }
    // Changes to latent genes alone (block slots beyond a stage's depth) leave the code as it was: change
    // one more gene until the code differs.
    let parent = try? encoding(of: genes)
    var tries = 0
    while tries < 100, (try? encoding(of: out)) == parent {
      let i = rng.pick(mutable)
      out[i] = rng.pick(choices[i].filter { $0 != out[i] })
      tries += 1
    }
    return out
  }

  /// Uniform crossover: each gene from either parent with equal probability.
  public func crossover(_ a: [Int], _ b: [Int], using rng: inout RandomSource) -> [Int] {
    zip(a, b).map { x, y in rng.next() & 1 == 0 ? x : y }
  }
}
