import Foundation

/// The process group this process belongs to: the MPI job when an MPI launcher started it, else a single
/// process. Without a launcher MPI is never initialised, so rdnas behaves exactly as it does without MPI.
public enum World {
  public static let collective: any Collective = launchedByMPIRun ? MPICollective.initialize() : SingleProcess()

  /// `mpirun` sets `OMPI_COMM_WORLD_SIZE` in every rank's environment; Slurm's `srun --mpi=pmix` (or pmi2)
  /// sets `PMIX_RANK` (`PMI_RANK`) instead.
  public static var launchedByMPIRun: Bool {
    let env = ProcessInfo.processInfo.environment
    return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil || env["PMI_RANK"] != nil
  }

  /// Ranks sharing this node (to split its cores between them); 1 without a launcher.
  public static var ranksOnThisNode: Int {
    guard launchedByMPIRun else { return 1 }  // e.g. one task of a Slurm job array: all cores are its own
    let env = ProcessInfo.processInfo.environment
    if let n = env["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) { return n }
    // Slurm writes e.g. "2" or "2(x4)".
    if let s = env["SLURM_NTASKS_PER_NODE"], let n = Int(s.prefix { $0.isNumber }), n > 0 { return n }
    return 1
  }
}
