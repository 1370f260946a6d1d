/// The one random number generator of rdnas: xoshiro256**, seeded through SplitMix64.
///
/// Every stochastic choice (subnet sampling, shuffling, augmentation, initialisation) draws from a
/// `RandomSource` so that a run is a pure function of its seed, and so the generator's whole state
/// (four words) can be written into a checkpoint and restored for an exact resume.
public struct RandomSource: RandomNumberGenerator, Sendable, Equatable, Codable {
  public var state: [UInt64]

  public init(seed: UInt64) {
    var s = seed
    var words = [UInt64]()
    for _ in 0..<4 {
      s &+= 0x9E37_79B9_7F4A_7C15
      var z = s
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      words.append(z ^ (z >> 31))
    }
    state = words
  }

  public init(state: [UInt64]) {
    precondition(state.count == 4, "RandomSource state has four words")
    self.state = state
  }

  /// An independent stream derived from this one's seed material and a label (e.g. a worker index),
  /// so parallel consumers do not share or perturb each other's sequences.
  public func derived(_ label: UInt64) -> RandomSource {
    RandomSource(seed: state[0] ^ (label &* 0xD1B5_4A32_D192_ED03) ^ state[3])
  }

  public mutating func next() -> UInt64 {
    let result = rotl(state[1] &* 5, 7) &* 9
    let t = state[1] << 17
    state[2] ^= state[0]
    state[3] ^= state[1]
    state[1] ^= state[2]
    state[0] ^= state[3]
    state[2] ^= t
    state[3] = rotl(state[3], 45)
    return result
  }

  /// Uniform in [0, 1) with 24 bits of precision (what a Float can hold).
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// Standard normal by Box–Muller; deterministic (no cached second value) so that state is just four words.
  public mutating func nextGaussian() -> Float {
    let u1 = max(Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0), 1e-300)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
#endif
