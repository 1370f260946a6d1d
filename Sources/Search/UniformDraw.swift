import Common

extension RandomSource {
  /// A uniform integer in `0..<bound` by rejection (Lemire's multiply-shift with the exact threshold).
  ///
  /// We do not use `Int.random(in:using:)` because the standard library does not promise that its
  /// algorithm stays the same across Swift releases, and a run must replay from its seed forever.
  public mutating func uniform(below bound: Int) -> Int {
    guard bound > 1 else { return 0 }
    let n = UInt64(bound)
    let threshold = (0 &- n) % n  // 2^64 mod n: draws whose low word is below this are biased
    while true {
      let product = next().multipliedFullWidth(by: n)
      if product.low >= threshold { return Int(product.high) }
    }
  }

  /// A uniformly chosen element of a non-empty array.
  public mutating func pick<T>(_ choices: [T]) -> T {
    choices[uniform(below: choices.count)]
  }
}
