import Common

extension ResNetSpace {
  /// Builds an encoding from its free choices, so callers never write the tied or padded digits by hand.
  /// The stem code is stage 1's output code. Throws `badInput` if the result is not valid.
  public func make(depths: [Int], outCodes: [Int], midCodes: [[Int]]) throws -> Encoding {
    guard depths.count == stageCount, outCodes.count == stageCount, midCodes.count == stageCount else {
      throw RDNASError.badInput("resnet make: need \(stageCount) depths, output codes and mid-code lists")
    }
    var digits = [UInt8](repeating: 0, count: encodingLength)
    func put(_ p: Int, _ v: Int) throws {
      guard (0...9).contains(v) else {
        throw RDNASError.badInput("resnet make: value \(v) at position \(p) is not a digit")
      }
      digits[p] = UInt8(v)
    }
    digits[0] = 1
    try put(stemPosition, outCodes[0])
    for s in 0..<stageCount {
      try put(depthPosition(stage: s), depths[s])
      guard midCodes[s].count == depths[s], depths[s] <= config.maxDepths[s] else {
        throw RDNASError.badInput(
          "resnet make: stage \(s + 1) has depth \(depths[s]) (max \(config.maxDepths[s])) "
            + "but \(midCodes[s].count) mid codes")
      }
      for (b, mid) in midCodes[s].enumerated() {
        try put(midPosition(stage: s, block: b), mid)
        try put(midPosition(stage: s, block: b) + 1, outCodes[s])
      }
    }
    let e = Encoding(digits: digits)
    try validate(e)
    return e
  }

  /// Uniform over the tied space of the sampler's choice sets: per stage a uniform depth, one output code,
  /// and an independent mid code per active block. The stem follows stage 1's output code.
  public func sample(using rng: inout RandomSource) -> Encoding {
    var digits = [UInt8](repeating: 0, count: encodingLength)
    digits[0] = 1
    for s in 0..<stageCount {
      let choices = config.widthCodesPerStage[s]
      let depth = config.minDepth + rng.uniform(below: config.maxDepths[s] - config.minDepth + 1)
      let out = UInt8(rng.pick(choices))
      digits[depthPosition(stage: s)] = UInt8(depth)
      if s == 0 { digits[stemPosition] = out }
      for b in 0..<depth {
        digits[midPosition(stage: s, block: b)] = UInt8(rng.pick(choices))
        digits[midPosition(stage: s, block: b) + 1] = out
      }
    }
    return Encoding(digits: digits)
  }

  /// Max depth everywhere, and in each stage the sampler's code with the widest channels (ties → the
  /// smaller code, i.e. the larger ratio). The sandwich rule's teacher.
  public var largest: Encoding { extreme(depths: config.maxDepths, widest: true) }

  /// Min depth everywhere, and in each stage the sampler's code with the narrowest channels (ties → the
  /// code with the smaller ratio).
  public var smallest: Encoding {
    extreme(depths: Array(repeating: config.minDepth, count: stageCount), widest: false)
  }

  private func extreme(depths: [Int], widest: Bool) -> Encoding {
    let codes = (0..<stageCount).map { s -> Int in
      let choices = config.widthCodesPerStage[s]
      let key = { (c: Int) in (self.width(stage: s, code: c), self.config.ratios[c - 1]) }
      return (widest ? choices.max { key($0) < key($1) } : choices.min { key($0) < key($1) }) ?? 1
    }
    let mids = (0..<stageCount).map { Array(repeating: codes[$0], count: depths[$0]) }
    // Built from a validated config and in-range choices, so `make` cannot fail; fall back defensively.
    return (try? make(depths: depths, outCodes: codes, midCodes: mids)) ?? Encoding(digits: [])
  }

  /// Number of distinct encodings of the sampler's choice sets under the tying rule:
  /// Π_s |C_s| · Σ_{d=min}^{max_s} |C_s|^d (the stem adds nothing: it is tied).
  /// Some encodings build the same network (e.g. codes 1–3 are all 16 channels at base 16 with divisor 4);
  /// like the method doc's count, this counts encodings.
  public var size: Double {
    var total = 1.0
    for s in 0..<stageCount {
      let c = Double(config.widthCodesPerStage[s].count)
      var sum = 0.0
      for d in config.minDepth...config.maxDepths[s] { sum += pow(c, d) }
      total *= c * sum
    }
    return total
  }

  /// Hamming distance over the stem and block digits (positions 5…51 of the 52), as the reference's
  /// `distance_calc.py`: the resolution and depth digits are left out, depth differences show up through
  /// the padding. Encodings of different length compare over the shorter one plus the excess.
  public func distance(_ a: Encoding, _ b: Encoding) -> Double {
    let lo = stemPosition, hi = max(a.count, b.count)
    guard hi > lo else { return 0 }
    var d = 0
    for p in lo..<hi where p >= a.count || p >= b.count || a.digits[p] != b.digits[p] { d += 1 }
    return Double(d)
  }
}

private func pow(_ base: Double, _ exponent: Int) -> Double {
  var r = 1.0
  for _ in 0..<max(0, exponent) { r *= base }
  return r
}
