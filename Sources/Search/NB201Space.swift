import Common

/// The NAS-Bench-201 cell space (method doc §11): one op on each of the 6 edges of a 4-node cell.
///
/// Digit k of an encoding is the op of edge k in the benchmark's edge order (1←0, 2←0, 2←1, 3←0, 3←1,
/// 3←2), with ops numbered as in `NB201Space.opNames`. The text form is the benchmark's arch string.
public struct NB201Space: SearchSpace {
  /// Op names in digit order 0…4, spelled as in the benchmark strings.
  public static let opNames = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
  /// Digit values of the ops, for code that switches on them.
  public static let opNone: UInt8 = 0, opSkip: UInt8 = 1, opConv1x1: UInt8 = 2
  public static let opConv3x3: UInt8 = 3, opAvgPool3x3: UInt8 = 4
  /// (to, from) node pairs of the 6 edges, in encoding order.
  public static let edges: [(to: Int, from: Int)] = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]
  public static let edgeCount = 6
  public static let opCount = 5

  public struct Config: Codable, Sendable, Equatable {
    /// Channels of stage 1 (stages 2 and 3 have 2C and 4C).
    public var C = 16
    /// Cells per stage.
    public var N = 5
    public var inputChannels = 3
    public var inputSize = 32
    public var classes = 10
    /// Whether cell BNs carry γ, β. The one-shot supernet (like the peer) uses non-affine cell BNs, so
    /// their parameters are not counted; the benchmark's own stand-alone nets use affine ones.
    public var cellBatchNormAffine = false

    public init() {}

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      let d = Config()
      C = try c.decodeIfPresent(Int.self, forKey: .C) ?? d.C
      N = try c.decodeIfPresent(Int.self, forKey: .N) ?? d.N
      inputChannels = try c.decodeIfPresent(Int.self, forKey: .inputChannels) ?? d.inputChannels
      inputSize = try c.decodeIfPresent(Int.self, forKey: .inputSize) ?? d.inputSize
      classes = try c.decodeIfPresent(Int.self, forKey: .classes) ?? d.classes
      cellBatchNormAffine = try c.decodeIfPresent(Bool.self, forKey: .cellBatchNormAffine) ?? d.cellBatchNormAffine
    }

    public func validate() throws {
      guard C >= 1, N >= 1, inputChannels >= 1, inputSize >= 1, classes >= 1 else {
        throw RDNASError.badInput("nb201 config: C, N, inputChannels, inputSize and classes must be positive")
      }
    }
  }

  public let config: Config
  public var name: String { "nb201" }

  public init() { config = Config() }

  public init(config: Config) throws {
    try config.validate()
    self.config = config
  }

  /// "edge 3←1" style name of edge k, for messages.
  public static func edgeName(_ k: Int) -> String {
    guard edges.indices.contains(k) else { return "edge \(k)" }
    return "edge \(edges[k].to)←\(edges[k].from)"
  }

  /// Accepts the benchmark string `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` or six op digits such as "334131".
  public func parse(_ text: String) throws -> Encoding {
    let s = text.trimmingWhitespace()
    func fail(_ why: String) -> RDNASError { .badInput("nb201 arch '\(s)': \(why)") }
    if s.count == NB201Space.edgeCount, s.allSatisfy({ $0.isASCII && $0.isNumber }) {
      let e = Encoding(digitString: s) ?? Encoding(digits: [])
      try validate(e)
      return e
    }
    guard s.hasPrefix("|"), s.hasSuffix("|") else {
      throw fail("expected six op digits or a benchmark string like |nor_conv_3x3~0|+|…~0|…~1|+|…~0|…~1|…~2|")
    }
    let groups = s.split(separator: "+", omittingEmptySubsequences: false)
    guard groups.count == 3 else { throw fail("expected 3 node groups separated by '+', found \(groups.count)") }
    var digits = [UInt8]()
    for (g, group) in groups.enumerated() {
      let node = g + 1
      guard group.count >= 2, group.first == "|", group.last == "|" else {
        throw fail("node \(node) group '\(group)' must start and end with '|'")
      }
      let tokens = group.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
      guard tokens.count == node else { throw fail("node \(node) needs \(node) inputs, found \(tokens.count)") }
      for (from, token) in tokens.enumerated() {
        let edge = "edge \(node)←\(from)"
        let parts = token.split(separator: "~", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw fail("\(edge): '\(token)' is not op~input") }
        guard let op = NB201Space.opNames.firstIndex(of: String(parts[0])) else {
          throw fail("\(edge): unknown op '\(parts[0])' (ops: \(NB201Space.opNames.joined(separator: ", ")))")
        }
        guard Int(parts[1]) == from else { throw fail("\(edge): input index '\(parts[1])' should be \(from)") }
        digits.append(UInt8(op))
      }
    }
    return Encoding(digits: digits)
  }

  public func format(_ e: Encoding) -> String {
    var out = "|"
    for (k, (to, from)) in NB201Space.edges.enumerated() {
      let op = k < e.count ? Int(e.digits[k]) : -1
      let opName = NB201Space.opNames.indices.contains(op) ? NB201Space.opNames[op] : "?"
      out += "\(opName)~\(from)|"
      if from == to - 1, to < 3 { out += "+|" }
    }
    return out
  }

  public func validate(_ e: Encoding) throws {
    guard e.count == NB201Space.edgeCount else {
      throw RDNASError.badInput("nb201 arch '\(e.description)': has \(e.count) edges, expected 6")
    }
    if let k = e.digits.firstIndex(where: { $0 >= NB201Space.opCount }) {
      throw RDNASError.badInput(
        "nb201 arch '\(e.description)': \(NB201Space.edgeName(k)) (position \(k)): op \(e.digits[k]) is not 0...4")
    }
  }

  /// Uniform over the 15,625 cells: each edge's op drawn independently, as SPOS samples.
  public func sample(using rng: inout RandomSource) -> Encoding {
    Encoding(digits: (0..<NB201Space.edgeCount).map { _ in UInt8(rng.uniform(below: NB201Space.opCount)) })
  }

  /// All edges nor_conv_3x3: the most expensive cell.
  public var largest: Encoding { Encoding(digits: Array(repeating: NB201Space.opConv3x3, count: 6)) }
  /// All edges none: the cheapest cell (the network reduces to stem, reductions and head).
  public var smallest: Encoding { Encoding(digits: Array(repeating: NB201Space.opNone, count: 6)) }
  public var size: Double { 15_625 }

  /// Every cell, in lexicographic digit order (edge 1←0 most significant). This is NOT the benchmark's
  /// index order; use `NB201BenchmarkIndex` for that.
  public func enumerateAll() -> [Encoding] {
    (0..<15_625).map { n in
      var rest = n, digits = [UInt8](repeating: 0, count: 6)
      for k in (0..<6).reversed() {
        digits[k] = UInt8(rest % 5)
        rest /= 5
      }
      return Encoding(digits: digits)
    }
  }
}
