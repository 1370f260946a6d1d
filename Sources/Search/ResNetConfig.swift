import Common

extension ResNetSpace {
  /// The shape of the elastic ResNet: the CVPR 2022 Track 1 space scaled to CIFAR (method doc §1, §10).
  ///
  /// Every field has a default, and decoding accepts a partial JSON object so a run file only needs to
  /// name what it changes.
  public struct Config: Codable, Sendable, Equatable {
    /// Full (code-1) channel count of each stage before rounding; the reference uses 64…512 at ImageNet scale.
    public var baseChannels = [16, 32, 64, 128]
    /// Block slots per stage; the encoding always has `2·maxDepths[s]` digits for stage s.
    public var maxDepths = [5, 5, 8, 5]
    /// Fewest active blocks in any stage (the reference and the test codes use 2).
    public var minDepth = 2
    /// Stride of the first block of each stage; CIFAR keeps 32×32 in stage 1 (no stem pooling).
    public var strides = [1, 2, 2, 2]
    /// Widths are rounded to multiples of this (8 in the reference; 4 keeps the 16-channel stage elastic).
    public var channelDivisor = 4
    /// Width ratio of codes 1, 2, … (code 0 means "inactive block").
    public var ratios = [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7]
    public var inputChannels = 3
    public var inputSize = 32
    public var classes = 10
    /// The codes the sampler draws from in each stage. All codes everywhere is what the reference trains
    /// with; `competitionWidthCodes` matches the test file. Validation accepts any code either way.
    public var widthCodesPerStage = Array(repeating: [1, 2, 3, 4, 5, 6, 7], count: 4)
    /// True when the activation after each residual add is a PReLU (one learnable slope per block).
    public var outerActivationHasParameter = false

    /// The choice sets of the 45,000 competition codes: 1–3, 1–3, 1–5, 1–7.
    public static let competitionWidthCodes = [[1, 2, 3], [1, 2, 3], [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6, 7]]

    public init() {}

    /// The default space with the sampler restricted to the competition choice sets.
    public static var competition: Config {
      var c = Config()
      c.widthCodesPerStage = competitionWidthCodes
      return c
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      let d = Config()
      baseChannels = try c.decodeIfPresent([Int].self, forKey: .baseChannels) ?? d.baseChannels
      maxDepths = try c.decodeIfPresent([Int].self, forKey: .maxDepths) ?? d.maxDepths
      minDepth = try c.decodeIfPresent(Int.self, forKey: .minDepth) ?? d.minDepth
      strides = try c.decodeIfPresent([Int].self, forKey: .strides) ?? d.strides
      channelDivisor = try c.decodeIfPresent(Int.self, forKey: .channelDivisor) ?? d.channelDivisor
      ratios = try c.decodeIfPresent([Double].self, forKey: .ratios) ?? d.ratios
      inputChannels = try c.decodeIfPresent(Int.self, forKey: .inputChannels) ?? d.inputChannels
      inputSize = try c.decodeIfPresent(Int.self, forKey: .inputSize) ?? d.inputSize
      classes = try c.decodeIfPresent(Int.self, forKey: .classes) ?? d.classes
      widthCodesPerStage = try c.decodeIfPresent([[Int]].self, forKey: .widthCodesPerStage)
        ?? Array(repeating: Array(1...max(1, ratios.count)), count: baseChannels.count)
      outerActivationHasParameter = try c.decodeIfPresent(Bool.self, forKey: .outerActivationHasParameter)
        ?? d.outerActivationHasParameter
    }

    /// Throws `badInput` naming the first inconsistent field, so a hand-edited config fails at load time
    /// rather than as an out-of-range index deep inside the supernet.
    public func validate() throws {
      func fail(_ why: String) -> RDNASError { .badInput("resnet config: \(why)") }
      let stages = baseChannels.count
      guard stages > 0 else { throw fail("baseChannels is empty") }
      guard maxDepths.count == stages, strides.count == stages, widthCodesPerStage.count == stages else {
        throw fail("baseChannels, maxDepths, strides and widthCodesPerStage must have one entry per stage "
          + "(\(stages), \(maxDepths.count), \(strides.count), \(widthCodesPerStage.count))")
      }
      guard minDepth >= 1 else { throw fail("minDepth \(minDepth) must be at least 1") }
      for s in 0..<stages {
        guard baseChannels[s] >= 1 else { throw fail("baseChannels[\(s)] = \(baseChannels[s]) must be positive") }
        guard (minDepth...9).contains(maxDepths[s]) else {
          throw fail("maxDepths[\(s)] = \(maxDepths[s]) must be in \(minDepth)...9 (one digit, at least minDepth)")
        }
        guard strides[s] >= 1 else { throw fail("strides[\(s)] = \(strides[s]) must be positive") }
      }
      guard channelDivisor >= 1 else { throw fail("channelDivisor \(channelDivisor) must be positive") }
      guard (1...9).contains(ratios.count) else { throw fail("ratios needs 1...9 entries (codes are one digit)") }
      for (i, r) in ratios.enumerated() where !(r > 0 && r.isFinite) {
        throw fail("ratio of code \(i + 1) is \(r); it must be positive and finite")
      }
      guard inputChannels >= 1, inputSize >= 1, classes >= 1 else {
        throw fail("inputChannels, inputSize and classes must be positive")
      }
      for (s, codes) in widthCodesPerStage.enumerated() {
        guard !codes.isEmpty else { throw fail("widthCodesPerStage[\(s)] is empty") }
        guard Set(codes).count == codes.count else { throw fail("widthCodesPerStage[\(s)] repeats a code") }
        for code in codes where !(1...ratios.count).contains(code) {
          throw fail("widthCodesPerStage[\(s)] has code \(code); codes are 1...\(ratios.count)")
        }
      }
    }
  }

  /// PaddleSlim's `make_divisible`: nearest multiple of `divisor` (at least `divisor`), bumped up one step
  /// when rounding lost more than 10%. `value` is already truncated to an integer by the caller, as in
  /// the reference (`int(ratio·base)`).
  public static func makeDivisible(_ value: Double, divisor: Int) -> Int {
    let d = Double(divisor)
    var rounded = max(divisor, Int(value + d / 2) / divisor * divisor)
    if Double(rounded) < 0.9 * value { rounded += divisor }
    return rounded
  }

  /// Channels of `code` (1-based) at a stage with `base` channels: `make_divisible(int(ratio·base), divisor)`.
  public static func width(base: Int, ratio: Double, divisor: Int) -> Int {
    makeDivisible(Double(Int(ratio * Double(base))), divisor: divisor)
  }
}
