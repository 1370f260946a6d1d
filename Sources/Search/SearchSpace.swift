import Common

/// One architecture of a search space as a fixed-length vector of decimal digits.
///
/// Both spaces use the same type so that samplers, rank losses, evaluators and run files can hold
/// `any SearchSpace` and pass encodings around without knowing which space they came from. Every digit
/// is 0…9, so the canonical text form is simply the digits written out; that is also how an encoding is
/// stored in JSON (a string such as `"1252233313…"` rather than an array of numbers), which keeps run
/// files readable and lets a code be pasted from the competition file unchanged.
public struct Encoding: Hashable, Sendable, Codable, CustomStringConvertible {
  public var digits: [UInt8]

  public init(digits: [UInt8]) { self.digits = digits }

  public var count: Int { digits.count }

  /// The digits written out, e.g. `1252233313…`. Space-specific text forms live in `SearchSpace.format`.
  public var description: String {
    String(decoding: digits.map { $0 &+ 0x30 }, as: UTF8.self)
  }

  /// Reads a string of decimal digits; nil when any character is not 0…9.
  public init?(digitString: String) {
    var out = [UInt8]()
    out.reserveCapacity(digitString.utf8.count)
    for byte in digitString.utf8 {
      guard byte >= 0x30, byte <= 0x39 else { return nil }
      out.append(byte - 0x30)
    }
    digits = out
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let e = Encoding(digitString: text) else {
      throw RDNASError.badInput("encoding '\(text)' contains a character that is not a digit 0-9")
    }
    self = e
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}

/// What every part of rdnas needs to know about a search space, independent of how its networks are built.
///
/// Costs (`flops`, `params`) are analytic so that they can serve as zero-cost proxies for all 45,000
/// competition codes or all 15,625 NB201 cells in milliseconds, without building a network.
public protocol SearchSpace: Sendable {
  /// "resnet" or "nb201"; written into run folders so a run can be reopened with the right space.
  var name: String { get }
  /// Reads the space's text form and validates it; errors are `RDNASError.badInput` naming the position.
  func parse(_ text: String) throws -> Encoding
  /// The canonical text form; `parse(format(e)) == e` for every valid `e`.
  func format(_ e: Encoding) -> String
  /// Throws `RDNASError.badInput` naming the first offending position and why.
  func validate(_ e: Encoding) throws
  /// A uniform draw over the space's training choices.
  func sample(using rng: inout RandomSource) -> Encoding
  /// The biggest network of the training choices (the sandwich rule's "max").
  var largest: Encoding { get }
  /// The smallest network of the training choices (the sandwich rule's "min").
  var smallest: Encoding { get }
  /// How many distinct encodings the training choices allow.
  var size: Double { get }
  /// The space's Hamming distance, used by the margin pair sampler.
  func distance(_ a: Encoding, _ b: Encoding) -> Double
  /// Analytic multiply-accumulate based cost; see each space for its exact convention.
  func flops(_ e: Encoding) -> Double
  /// Analytic count of learnable parameters of the stand-alone network for `e`.
  func params(_ e: Encoding) -> Int
}
