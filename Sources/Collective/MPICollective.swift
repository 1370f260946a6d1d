import CMPI
import Foundation

/// `Collective` over OpenMPI's C API on MPI_COMM_WORLD. Errors are fatal (MPI_ERRORS_ARE_FATAL): if one
/// rank dies, `mpirun` ends the others and names the rank that failed.
public final class MPICollective: Collective, @unchecked Sendable {
  public let rank: Int
  public let size: Int
  private let comm = rdnas_mpi_comm_world()

  private init(rank: Int, size: Int) {
    self.rank = rank
    self.size = size
  }

  /// Initialises MPI once per process (use `World.collective`). SERIALIZED: the trainer may run on a
  /// background thread while the main thread waits, but only one thread calls MPI at a time.
  static func initialize() -> MPICollective {
    var provided: Int32 = 0
    MPI_Init_thread(nil, nil, rdnas_mpi_thread_serialized(), &provided)
    MPI_Comm_set_errhandler(rdnas_mpi_comm_world(), rdnas_mpi_errors_are_fatal())
    var r: Int32 = 0, n: Int32 = 0
    MPI_Comm_rank(rdnas_mpi_comm_world(), &r)
    MPI_Comm_size(rdnas_mpi_comm_world(), &n)
    // Every normal exit (including ArgumentParser's `exit` after an error all ranks share) must finalise,
    // or mpirun reports the job as failed.
    atexit { MPICollective.finalize() }
    return MPICollective(rank: Int(r), size: Int(n))
  }

  private static func finalize() {
    var done: Int32 = 0
    MPI_Finalized(&done)
    if done == 0 { MPI_Finalize() }
  }

  public func allReduce(_ buffer: UnsafeMutableBufferPointer<Float>, _ op: Reduction) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    // MPI counts are Int32: reduce in chunks so a multi-GB model still works.
    let chunk = 1 << 28
    var offset = 0
    while offset < buffer.count {
      let n = min(chunk, buffer.count - offset)
      MPI_Allreduce(rdnas_mpi_in_place(), base + offset, Int32(n), rdnas_mpi_float(), rdnas_mpi_sum(), comm)
      offset += n
    }
    if op == .average {
      let scale = 1 / Float(size)
      for i in 0..<buffer.count { base[i] *= scale }
    }
  }

  public func broadcast(_ bytes: [UInt8], root: Int) -> [UInt8] {
    var count = Int64(rank == root ? bytes.count : 0)
    MPI_Bcast(&count, 1, rdnas_mpi_int64(), Int32(root), comm)
    var out = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
    if count > 0 {
      out.withUnsafeMutableBytes { _ = MPI_Bcast($0.baseAddress, Int32(count), rdnas_mpi_byte(), Int32(root), comm) }
    }
    return out
  }

  public func allGather(_ bytes: [UInt8]) -> [[UInt8]] {
    var mine = Int32(bytes.count)
    var counts = [Int32](repeating: 0, count: size)
    MPI_Allgather(&mine, 1, rdnas_mpi_int32(), &counts, 1, rdnas_mpi_int32(), comm)
    var displacements = [Int32](repeating: 0, count: size)
    for i in 1..<max(1, size) { displacements[i] = displacements[i - 1] + counts[i - 1] }
    let total = Int(counts.reduce(0, +))
    var all = [UInt8](repeating: 0, count: max(1, total))
    var send = bytes.isEmpty ? [UInt8(0)] : bytes
    send.withUnsafeMutableBytes { s in
      all.withUnsafeMutableBytes { a in
        _ = MPI_Allgatherv(s.baseAddress, mine, rdnas_mpi_byte(), a.baseAddress, &counts, &displacements,
                           rdnas_mpi_byte(), comm)
      }
    }
    return (0..<size).map { i in Array(all[Int(displacements[i])..<Int(displacements[i] + counts[i])]) }
  }

  public func barrier() { MPI_Barrier(comm) }

  public func abort(code: Int32) -> Never {
    MPI_Abort(comm, code)
    exit(code)  // MPI_Abort does not return; this satisfies the type checker
  }
}
