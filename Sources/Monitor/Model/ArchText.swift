/// Reading the text encodings of the two search spaces without depending on the Search target: a ResNet
/// code is a string of digits; an NB201 arch is `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`.
public enum ArchText {
  /// NB201 op names in digit order.
  public static let nb201Ops = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
  /// Short labels of the ops for narrow columns.
  public static let nb201Short = ["--", "sk", "c1", "c3", "ap"]

  /// The op indices of an NB201 arch string in edge order, or nil when it is not one.
  public static func nb201Ops(_ s: String) -> [Int]? {
    guard s.hasPrefix("|"), s.contains("~") else { return nil }
    var ops = [Int]()
    for token in s.split(whereSeparator: { $0 == "|" || $0 == "+" }) {
      let name = token.split(separator: "~").first.map(String.init) ?? ""
      guard let k = nb201Ops.firstIndex(of: name) else { return nil }
      ops.append(k)
    }
    return ops.isEmpty ? nil : ops
  }

  /// The "digits" of an encoding: op indices for NB201 strings, the characters otherwise.
  public static func digits(_ s: String) -> [Int] {
    if let ops = nb201Ops(s) { return ops }
    return s.unicodeScalars.map { Int($0.value) }
  }

  /// Number of positions where the two encodings differ; a length difference counts as differing positions.
  public static func hamming(_ a: String, _ b: String) -> Int { hamming(digits(a), digits(b)) }

  /// Hamming distance of pre-split digits (the model caches the landmarks' digits).
  public static func hamming(_ x: [Int], _ y: [Int]) -> Int {
    var d = abs(x.count - y.count)
    for i in 0..<min(x.count, y.count) where x[i] != y[i] { d += 1 }
    return d
  }

  /// The stage count of a ResNet code (resolution, S depths, stem, then (mid, out) pairs with each stage's
  /// active blocks first): the S for which the pairs are whole (both digits zero or both not) and the depths
  /// add up to the active pairs. The events do not carry the space's layout, so it is read off the code;
  /// 4 (the competition's 52 digits) when nothing fits.
  public static func resnetStages(_ s: String) -> Int {
    let d = s.map { $0.wholeNumberValue ?? -1 }
    for stages in [4, 1, 2, 3, 5, 6, 7, 8] where d.count >= stages + 2 && (d.count - stages - 2) % 2 == 0 {
      let depths = d[1...stages].reduce(0, +)
      var active = 0, whole = true
      var i = stages + 2
      while i + 1 < d.count {
        if (d[i] == 0) != (d[i + 1] == 0) { whole = false; break }
        if d[i] != 0 { active += 1 }
        i += 2
      }
      if whole && active == depths { return stages }
    }
    return 4
  }

  /// Role of each character of a ResNet code, for colour coding: position 0 resolution, 1…stages the depths,
  /// the rest width codes (0 = unused slot).
  public static func resnetRoles(_ s: String, stages: Int = 4) -> [Role] {
    s.enumerated().map { i, ch in
      let v = ch.wholeNumberValue ?? -1
      if i == 0 { return .resolutionDigit }
      if i <= stages { return .depthDigit }
      if v <= 0 { return .zeroDigit }
      return .widthCode(v)
    }
  }

  /// A ResNet code without its unused `00` slots: depths, stem, then the active (mid, out) pairs; the
  /// resolution digit is dropped. Used when the full 52 digits do not fit.
  public static func resnetCompact(_ s: String, stages: Int = 4) -> [(Character, Role)] {
    let chars = Array(s), roles = resnetRoles(s, stages: stages)
    guard chars.count > stages + 2 else { return Array(zip(chars, roles)) }
    var out = Array(zip(chars[1...(stages + 1)], roles[1...(stages + 1)]))
    var i = stages + 2
    while i + 1 < chars.count {
      if !(chars[i] == "0" && chars[i + 1] == "0") {
        out.append((chars[i], roles[i])); out.append((chars[i + 1], roles[i + 1]))
      }
      i += 2
    }
    return out
  }

  /// Styled spans of an encoding, fitting `width` when possible (compact ResNet codes, abbreviated NB201 ops).
  public static func spans(_ s: String, width: Int) -> [Span] {
    if let ops = nb201Ops(s) {
      var out = [Span]()
      // Edges grouped by target node: 1←0 | 2←0 2←1 | 3←0 3←1 3←2.
      for (i, op) in ops.enumerated() {
        if i == 1 || i == 3 { out.append(Span("|", .role(.dim))) } else if i > 0 { out.append(Span(" ")) }
        out.append(Span(nb201Short[min(op, nb201Short.count - 1)], .role(.op(op))))
      }
      return out
    }
    guard s.allSatisfy(\.isNumber) else { return [Span(s, .role(.text))] }
    let stages = resnetStages(s)
    let pairs: [(Character, Role)] = s.count <= width ? Array(zip(Array(s), resnetRoles(s, stages: stages)))
      : resnetCompact(s, stages: stages)
    return pairs.map { ch, role in Span(String(ch), role == .zeroDigit ? .role(.zeroDigit, dim: true) : .role(role)) }
  }
}
