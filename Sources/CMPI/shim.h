#include <mpi.h>
// OpenMPI defines its handles as macros taking the address of library globals (MPI_COMM_WORLD is
// `(MPI_Comm)&ompi_mpi_comm_world`), which Swift cannot import: these accessors hand them over as values.
static inline MPI_Comm rdnas_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype rdnas_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype rdnas_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype rdnas_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype rdnas_mpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Op rdnas_mpi_sum(void) { return MPI_SUM; }
static inline void *rdnas_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Errhandler rdnas_mpi_errors_are_fatal(void) { return MPI_ERRORS_ARE_FATAL; }
static inline int rdnas_mpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
