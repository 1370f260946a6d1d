import Common

/// The CVPR 2022 NAS Track 1 ResNet space (method doc §1.2) at CIFAR scale.
///
/// Layout of an encoding with S stages (S = 4 gives the competition's 52 digits):
/// position 0 is the resolution code (must be 1), positions 1…S the stage depths, position S+1 the
/// stem width code, then for every stage `maxDepths[s]` (mid, out) code pairs: active blocks first,
/// the remaining slots written `00`. The stem code equals the stage-1 output code, and every block of a
/// stage has the same output code, because identity shortcuts force equal widths across each residual
/// add. Mid codes are free.
public struct ResNetSpace: SearchSpace {
  public let config: Config
  public var name: String { "resnet" }
  /// Number of digits of every encoding of this space (52 for the default config).
  public let encodingLength: Int
  /// `widthTable[s][code]`: channels of `code` in stage s; index 0 (inactive) is 0.
  let widthTable: [[Int]]
  /// Position of the first (mid) digit of each stage's first block slot.
  let stageStart: [Int]

  /// The default CIFAR configuration (always valid).
  public init() {
    self.init(unchecked: Config())
  }

  public init(config: Config) throws {
    try config.validate()
    self.init(unchecked: config)
  }

  private init(unchecked config: Config) {
    self.config = config
    let stages = config.baseChannels.count
    widthTable = config.baseChannels.map { base in
      [0] + config.ratios.map { ResNetSpace.width(base: base, ratio: $0, divisor: config.channelDivisor) }
    }
    var starts = [Int]()
    var p = stages + 2
    for d in config.maxDepths {
      starts.append(p)
      p += 2 * d
    }
    stageStart = starts
    encodingLength = p
  }

  public var stageCount: Int { config.baseChannels.count }
  public var codeCount: Int { config.ratios.count }
  /// Position of stage s's depth digit (s is 0-based).
  public func depthPosition(stage s: Int) -> Int { 1 + s }
  /// Position of the stem width code (tied to stage 1's output code).
  public var stemPosition: Int { stageCount + 1 }
  /// Position of the mid code of block b (0-based) of stage s; the output code follows it.
  public func midPosition(stage s: Int, block b: Int) -> Int { stageStart[s] + 2 * b }

  /// Channels of width code `code` (1…7) in stage s (0-based); 0 for an inactive or unknown code.
  public func width(stage s: Int, code: Int) -> Int {
    guard widthTable.indices.contains(s), widthTable[s].indices.contains(code) else { return 0 }
    return widthTable[s][code]
  }

  /// The widest channel count any code gives in each stage: what the supernet allocates.
  public var maxWidths: [Int] { widthTable.map { $0.max() ?? 0 } }

  /// Reads the digit form (surrounding whitespace ignored) and validates it.
  public func parse(_ text: String) throws -> Encoding {
    let trimmed = text.trimmingWhitespace()
    guard let e = Encoding(digitString: trimmed) else {
      let chars = Array(trimmed)
      let bad = chars.firstIndex { !("0"..."9").contains($0) } ?? 0
      throw RDNASError.badInput("resnet code '\(trimmed)': position \(bad): '\(chars[bad])' is not a digit")
    }
    try validate(e)
    return e
  }

  public func format(_ e: Encoding) -> String { e.description }

  public func validate(_ e: Encoding) throws {
    func fail(_ p: Int, _ why: String) -> RDNASError {
      .badInput("resnet code '\(e.description)': position \(p) (\(role(ofPosition: p))): \(why)")
    }
    guard e.count == encodingLength else {
      throw RDNASError.badInput(
        "resnet code '\(e.description)': has \(e.count) digits, expected \(encodingLength)")
    }
    if let p = e.digits.firstIndex(where: { $0 > 9 }) { throw fail(p, "value \(e.digits[p]) is not a digit") }
    guard e.digits[0] == 1 else { throw fail(0, "resolution code must be 1, found \(e.digits[0])") }
    let codes = 1...codeCount
    for s in 0..<stageCount {
      let p = depthPosition(stage: s), depth = Int(e.digits[p])
      guard (config.minDepth...config.maxDepths[s]).contains(depth) else {
        throw fail(p, "depth \(depth) outside \(config.minDepth)...\(config.maxDepths[s])")
      }
    }
    let stem = Int(e.digits[stemPosition])
    guard codes.contains(stem) else {
      throw fail(stemPosition, "stem code \(stem) is not a width code 1...\(codeCount)")
    }
    for s in 0..<stageCount {
      let depth = Int(e.digits[depthPosition(stage: s)])
      let stageOut = Int(e.digits[midPosition(stage: s, block: 0) + 1])
      for b in 0..<config.maxDepths[s] {
        let p = midPosition(stage: s, block: b)
        let mid = Int(e.digits[p]), out = Int(e.digits[p + 1])
        if b < depth {
          guard codes.contains(mid) else { throw fail(p, "mid code \(mid) of an active block is not 1...\(codeCount)") }
          guard codes.contains(out) else {
            throw fail(p + 1, "output code \(out) of an active block is not 1...\(codeCount)")
          }
          guard out == stageOut else {
            throw fail(p + 1,
                       "output code \(out) differs from the stage's first output code \(stageOut) (tied within a stage)")
          }
        } else {
          if mid != 0 { throw fail(p, "padding after the stage's \(depth) active blocks must be 0, found \(mid)") }
          if out != 0 { throw fail(p + 1, "padding after the stage's \(depth) active blocks must be 0, found \(out)") }
        }
      }
      if s == 0, stem != stageOut {
        throw fail(stemPosition, "stem code \(stem) must equal the stage 1 output code \(stageOut) (tied)")
      }
    }
  }

  /// A human name for an encoding position, used in error messages ("stage 2 block 1 output code").
  public func role(ofPosition p: Int) -> String {
    if p == 0 { return "resolution code" }
    if p <= stageCount { return "stage \(p) depth" }
    if p == stemPosition { return "stem code" }
    for s in (0..<stageCount).reversed() where p >= stageStart[s] {
      let offset = p - stageStart[s]
      return "stage \(s + 1) block \(offset / 2 + 1) \(offset % 2 == 0 ? "mid" : "output") code"
    }
    return "beyond the encoding"
  }
}

extension String {
  /// Leading and trailing spaces, tabs and newlines removed (Search does not need Foundation for this).
  func trimmingWhitespace() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
      return ""
    }
    return String(self[first...last])
  }
}
