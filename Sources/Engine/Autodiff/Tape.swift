import Common

/// Reverse-mode autodiff: ops append (name, output, backward closure) as they run; `backward` walks the
/// list in reverse. One tape per forward pass; several passes (sandwich paths, rank pairs) each get their
/// own tape and their parameter gradients accumulate until the optimiser steps.
public final class Tape {
  struct Entry {
    let op: String
    let output: Tensor
    let backward: () -> Void
  }

  /// Training mode: BN uses batch statistics and updates its running statistics.
  public let training: Bool
  /// When true, every op output is checked for NaN/Inf as it is produced, and every op's incoming gradient as
  /// backward reaches it, so a failure names the op (slower; for debugging).
  public var checkEveryOp: Bool
  private(set) var entries: [Entry] = []
  public private(set) var firstNonFinite: String?
  /// When set, ops add what they compute to it (for FLOPs tests and profiling).
  public var costs: CostCounter?

  // Variants of a forward pass that zero-cost proxies need, honoured by the ops and the supernets so
  // that model code stays a single definition:
  /// Overrides every BN's running-statistics momentum (BN recalibration uses 1/(k+1) for a cumulative mean).
  public var batchNormMomentum: Float?
  /// Batch norm becomes the identity (SynFlow's "no BN" network).
  public var skipBatchNorm = false
  /// Residual shortcuts are dropped (ZenScore's residual-free network).
  public var dropResiduals = false
  /// Called with the input of every ReLU (NASWOT's binary activation codes).
  public var reluObserver: ((Tensor) -> Void)?
  /// Applied by supernets to each block's/cell's output (e.g. SynFlow's overflow-avoiding rescale).
  public var blockOutputHook: ((Tape, Tensor) -> Tensor)?
  /// When set, ops charge their forward and backward time to it (see `OpProfile`).
  public var profile: OpProfile? { didSet { profile?.restart() } }
  /// Precision of convolutions recorded on this tape: fp32 unless its owner (a trainer's run context, an
  /// evaluator, a bench case) says otherwise. There is no process-wide default, so two runs in one process
  /// (or a proxy scored beside a bf16 run) each compute in the precision they were given.
  public var precision: Precision = .fp32
  /// Direct or Winograd fp32 3×3 convolutions (see `ConvAlgorithm`); `auto` unless its owner says otherwise.
  public var convAlgorithm: ConvAlgorithm = .auto
  /// Conv weights already reordered this step (see `WeightLayoutCache`); nil: reorder on every use.
  public var weightCache: WeightLayoutCache?

  /// No backward will run (evaluation): ops record nothing, so each activation is freed, and its buffer
  /// reused, as soon as the next op has read it instead of living until the tape dies.
  public let inference: Bool

  public init(training: Bool, checkEveryOp: Bool = false, inference: Bool = false) {
    self.training = training
    self.checkEveryOp = checkEveryOp
    self.inference = inference
  }

  func record(_ op: String, _ output: Tensor, backward: @escaping () -> Void) {
    if checkEveryOp, firstNonFinite == nil, !Vec.allFinite(output.data, output.count) {
      firstNonFinite = "\(op) #\(entries.count) output \(output.shape)"
    }
    profile?.recordForward(op)
    if output.requiresGrad, !inference { entries.append(Entry(op: op, output: output, backward: backward)) }
  }

  public var opCount: Int { entries.count }

  /// Back-propagates from a scalar (or from any tensor with an all-ones seed, i.e. of its sum).
  /// Throws `RDNASError.nonFinite` naming the op when the loss is not finite, or (with `checkEveryOp`) when an
  /// op's incoming gradient is not.
  public func backward(_ loss: Tensor, seed: Float = 1) throws {
    guard loss.requiresGrad else { return }
    if !Vec.allFinite(loss.data, loss.count) {
      throw RDNASError.nonFinite(op: locateNonFiniteForward() ?? "loss", detail: "loss = \(loss.data[0])")
    }
    loss.seedGrad(seed)
    for e in entries.reversed() {
      guard let g = e.output.grad else { continue }
      // Reading every incoming gradient once more costs a memory pass per op (about a tenth of an NB201 step
      // outside its convolutions), so it is opt-in like the forward check. Without it a NaN born in backward
      // is still caught: the trainer stops on a non-finite global gradient norm before the optimiser step.
      if checkEveryOp, !Vec.allFinite(g, e.output.count) {
        throw RDNASError.nonFinite(op: e.op, detail: "gradient of its output \(e.output.shape)")
      }
      if let profile { profile.timeBackward(e.op, e.backward) } else { e.backward() }
      // The op has passed its gradient on; nothing reads an intermediate's gradient after this, so give the
      // memory back now rather than when the tape dies (lowers the peak of a backward pass).
      e.output.clearGrad()
    }
  }

  /// The first op (in execution order) whose output holds NaN/Inf; free to call only after a failure.
  public func locateNonFiniteForward() -> String? {
    if let firstNonFinite { return firstNonFinite }
    for (i, e) in entries.enumerated() where !Vec.allFinite(e.output.data, e.output.count) {
      return "\(e.op) #\(i) output \(e.output.shape)"
    }
    return nil
  }

  /// Drops every recorded op and, with them, the activations they keep alive.
  public func reset() {
    entries.removeAll(keepingCapacity: true)
    firstNonFinite = nil
  }
}
