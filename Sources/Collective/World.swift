import Foundation

/// The process group this process belongs to: the MPI job when it was started by `mpirun` (OpenMPI sets
/// `OMPI_COMM_WORLD_SIZE` in every rank's environment), else a single process. Without `mpirun`, MPI is
/// never initialised, so rdnas behaves exactly as it does without MPI.
public enum World {
  public static let collective: any Collective = launchedByMPIRun ? MPICollective.initialize() : SingleProcess()

  public static var launchedByMPIRun: Bool { ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil }

  /// Ranks sharing this node (to split its cores between them); 1 without `mpirun`.
  public static var ranksOnThisNode: Int {
    ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) ?? 1
  }
}
