import Common

/// Splits `0..<count` into train and validation by a seeded permutation: validation is the first `validation`
/// indices of the permutation. Both lists come back sorted, so a split is a set and reading it is cache-friendly.
/// `validation` is clamped to 0...count (the CLI validates user input before calling).
public func trainValidationSplit(count: Int, validation: Int, seed: UInt64) -> (train: [Int], validation: [Int]) {
  var rng = RandomSource(seed: seed)
  let order = seededPermutation(count: max(count, 0), using: &rng)
  let cut = min(max(validation, 0), order.count)
  return (Array(order[cut...]).sorted(), Array(order[..<cut]).sorted())
}

/// Fisher–Yates over `0..<count`. Written out (rather than `shuffled(using:)`) so the permutation for a seed is fixed
/// by this code, not by whichever algorithm the standard library uses.
public func seededPermutation(count: Int, using rng: inout RandomSource) -> [Int] {
  var order = Array(0..<count)
  var i = count - 1
  while i > 0 {
    order.swapAt(i, uniformIndex(below: i + 1, using: &rng))
    i -= 1
  }
  return order
}

/// Uniform in `0..<bound` without modulo bias (Lemire's multiply-and-reject), `bound` > 0.
func uniformIndex(below bound: Int, using rng: inout RandomSource) -> Int {
  precondition(bound > 0, "uniformIndex needs a positive bound")
  let b = UInt64(bound)
  var product = rng.next().multipliedFullWidth(by: b)
  if product.low < b {
    let threshold = (0 &- b) % b
    while product.low < threshold { product = rng.next().multipliedFullWidth(by: b) }
  }
  return Int(product.high)
}
