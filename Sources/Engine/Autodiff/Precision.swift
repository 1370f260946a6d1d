import CDNNL

/// Arithmetic precision of convolutions. `bf16` runs them on bf16 activations and weights with fp32
/// accumulation and fp32 outputs; master weights, BN, the optimiser and the loss stay fp32.
public enum Precision: String, Sendable, CaseIterable, Codable {
  case fp32, bf16

  /// True when oneDNN dispatches bf16 kernels natively here (AVX512-BF16 or AMX); elsewhere bf16 would run
  /// as slow emulation or a reference kernel, so callers fall back to fp32.
  public static var hardwareSupportsBF16: Bool {
    let isa = dnnl_get_effective_cpu_isa().rawValue
    let avx512CoreBF16 = dnnl_cpu_isa_avx512_core_bf16.rawValue
    return isa & avx512CoreBF16 == avx512CoreBF16
  }

  /// A resumed run keeps the precision it was trained in; when this CPU cannot run it the run goes on in
  /// fp32, and the user must hear that rather than find a silently different run.
  public static func resumeWarning(trainedIn saved: Precision?, hardware: Bool = hardwareSupportsBF16) -> String? {
    guard saved == .bf16, !hardware else { return nil }
    return "this run was trained in bf16, which needs a CPU with AVX512-BF16 or AMX (oneDNN reports none here); "
      + "resuming in fp32, so its losses may shift slightly"
  }

  /// `requested` if this CPU can run it, else fp32 with a one-line explanation for the user.
  public static func resolve(_ requested: Precision, hardware: Bool = hardwareSupportsBF16)
    -> (precision: Precision, warning: String?) {
    guard requested == .bf16, !hardware else { return (requested, nil) }
    return (.fp32, "bf16 needs a CPU with AVX512-BF16 or AMX (oneDNN reports none here); running in fp32")
  }
}
