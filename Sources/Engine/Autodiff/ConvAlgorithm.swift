/// How a tape's fp32 3×3 convolutions are computed: oneDNN's direct kernels, or its Winograd F(4×4, 3×3)
/// kernels (`jit_wino_4x3`), which do the same convolution with about a quarter of the multiplications.
///
/// Winograd needs blocked activations (nChw16c) where ours are nhwc, so each Winograd conv pays five
/// activation reorders (src and dst forward; diff_dst, src again for the weight gradient rather than keeping a
/// second copy of x alive, and diff_src backward): 0.01–0.2 ms each at batch 64 on the supernets' 16×16 and
/// smaller maps, against 1–2 ms saved per layer; about 1 ms each at 32 channels 32×32, which eats most of the gain.
///
/// Measured per shape (batch 64, fp32, fwd + bwd-data + bwd-weights, min of 12, Intel Xeon with AVX512-BF16
/// without AMX; bench/results/winograd-20261206.md), direct → Winograd at 1 thread: C64 8×8 5.04 → 3.03 ms,
/// C128 4×4 4.55 → 3.52, C32 16×16 5.14 → 4.04, C32→24 16×16 4.88 → 3.92, C24→32 4.30 → 3.96, C24 16×16 3.99 →
/// 3.90–4.09 (a tie), but C16 32×32 5.59 → 6.87 and C12 5.49 → 6.77 (losses); 2 threads the same pattern. Few
/// channels leave Winograd's tile transforms unamortised (and widths that are not multiples of 16 are padded
/// to them), so `auto` takes it only when both sides have at least 24 channels.
public enum ConvAlgorithm: String, Sendable, CaseIterable, Codable {
  /// Winograd where the rule below expects it to pay, direct elsewhere.
  case auto
  case direct
  /// Winograd wherever oneDNN has it (fp32, 3×3, stride 1), whatever the channel count: for tests and A/B.
  case winograd

  /// Narrowest input or output width at which `auto` picks Winograd.
  public static let autoMinChannels = 24

  /// Whether a convolution of this shape runs through Winograd. Shapes oneDNN cannot run that way
  /// (not 3×3 stride 1, bf16) are direct under every setting; a CPU without the kernels falls back to direct
  /// when the primitive is built (`ConvPrimitives.get`).
  public func usesWinograd(cin: Int, cout: Int, kernel: Int, stride: Int, pad: Int, bf16: Bool) -> Bool {
    guard kernel == 3, stride == 1, pad == 1, !bf16 else { return false }
    switch self {
    case .direct: return false
    case .winograd: return true
    case .auto: return min(cin, cout) >= ConvAlgorithm.autoMinChannels
    }
  }
}
