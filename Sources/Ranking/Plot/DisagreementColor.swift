/// The blue → red ramp for |Δrank|: blue where two rankings agree, red where they disagree most.
/// Interpolated through a dark purple (not white) so mid values stay visible on a white page.
public enum DisagreementColor {
  public struct RGB: Sendable, Equatable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    /// `#rrggbb`.
    public var hex: String {
      "#" + [red, green, blue].map { value in
        let digits = String(value, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
      }.joined()
    }
  }

  static let stops: [(Double, Double, Double)] = [(44, 123, 182), (123, 50, 148), (215, 25, 28)]

  /// Colour for a disagreement in 0…1 (values outside are clamped; NaN reads as 0).
  public static func rgb(_ disagreement: Double) -> RGB {
    let t = disagreement.isNaN ? 0 : min(1, max(0, disagreement))
    let scaled = t * Double(stops.count - 1)
    let lower = min(stops.count - 2, Int(scaled))
    let f = scaled - Double(lower)
    let a = stops[lower], b = stops[lower + 1]
    func mix(_ p: Double, _ q: Double) -> UInt8 { UInt8((p + (q - p) * f).rounded()) }
    return RGB(red: mix(a.0, b.0), green: mix(a.1, b.1), blue: mix(a.2, b.2))
  }
}
