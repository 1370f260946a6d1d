import Common

/// `EngineError.mismatch` means saved state (a checkpoint's optimiser buffers) does not fit the model: the
/// user gave the wrong file, so it is bad input (exit 2) like any other.
extension EngineError: ReportableError {
  public var exitCode: Int32 { 2 }
}
