import Common

/// Input checks shared by every paired statistic, so they all agree on what is an error and what is NaN.
///
/// Mismatched lengths are a caller's mistake and throw; anything that merely makes a statistic undefined
/// (fewer than two pairs, a NaN anywhere, a constant vector) yields NaN so that a report over many
/// statistics never dies on one of them.
enum PairedSample {
  static func checkLengths(_ x: [Double], _ y: [Double], _ name: String) throws {
    guard x.count == y.count else {
      throw RDNASError.badInput("\(name): the two score lists differ in length (\(x.count) vs \(y.count))")
    }
  }

  /// True when the statistic is defined for this input: at least two pairs and no NaN.
  /// (±∞ are ordinary, orderable values for rank statistics.)
  static func isUsable(_ x: [Double], _ y: [Double]) -> Bool {
    x.count >= 2 && !x.contains(where: \.isNaN) && !y.contains(where: \.isNaN)
  }
}
