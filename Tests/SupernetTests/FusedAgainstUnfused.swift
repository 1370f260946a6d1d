import Engine

/// What the fused-against-unfused network tests compare: one forward and backward of `loss` on a fresh fp32 tape
/// (`store`'s gradients zeroed between the two), giving the loss followed by the gradients of `params`, and how
/// many times each op ran forward.
func lossAndGradients(_ store: ParameterStore, _ params: [Parameter], training: Bool = true,
                      _ loss: (Tape) -> Tensor) throws -> (values: [Float], forwardCalls: [String: Int]) {
  let t = Tape(training: training)
  t.precision = .fp32
  t.profile = OpProfile()
  let l = loss(t)
  for p in store.all { p.zeroGrad() }
  try t.backward(l)
  return (l.values + params.flatMap(\.gradValues), (t.profile?.forward ?? [:]).mapValues(\.calls))
}

/// The largest absolute difference between two runs, and the largest magnitude in the second (the reference).
func largestDifference(_ run: [Float], _ reference: [Float]) -> (worst: Float, scale: Float) {
  (zip(run, reference).map { abs($0 - $1) }.max() ?? 0, reference.map(abs).max() ?? 1)
}
