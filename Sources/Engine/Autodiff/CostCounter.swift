/// Counts what a forward pass computed, per image, so analytic FLOPs/params formulas can be tested against
/// the network actually built. Attach to a tape with `tape.costs = CostCounter()`.
public final class CostCounter {
  public var convMACs = 0.0
  public var linearMACs = 0.0
  /// Elements normalised by batch norm (outputs), per image.
  public var batchNormElements = 0.0
  /// Σ (H·W + 1)·C over global average pools, per image (the reference's convention).
  public var globalPoolCost = 0.0
  public init() {}
}
