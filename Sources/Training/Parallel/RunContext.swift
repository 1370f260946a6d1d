import Collective
import Engine

/// What a run executes with, as opposed to what it computes (`TrainingConfig`): convolution precision,
/// oneDNN threads and the process group. Passed to the trainer instead of being read from process-wide
/// settings, so two trainers in one process (tests) or one rank of an MPI job each carry their own.
public struct RunContext: Sendable {
  public var precision: Precision
  /// oneDNN/OpenMP threads of the training thread (nil: leave the process's setting).
  public var threads: Int?
  public var collective: any Collective
  /// Why `precision` was chosen (and the measured pass times under `--precision auto`), for the run's events.
  public var precisionDecision: PrecisionDecision?
  /// The OpenMP settings the front end put in place (the core does not decide them), for the `started` event.
  public var openMPSettings: String?

  public init(precision: Precision = .fp32, threads: Int? = nil, collective: any Collective = SingleProcess()) {
    self.precision = precision
    self.threads = threads
    self.collective = collective
  }

  /// The context a run's config asks for, on `collective`; bf16 falls back to fp32 where the CPU lacks it.
  public init(config: TrainingConfig, collective: any Collective, precisionDecision: PrecisionDecision? = nil,
              openMPSettings: String? = nil) {
    self.init(precision: Precision.resolve(config.precision ?? .fp32).precision, threads: config.threads,
              collective: collective)
    self.precisionDecision = precisionDecision
    self.openMPSettings = openMPSettings
  }
}
