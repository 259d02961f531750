// The few MPI calls Loom makes, over MPI_COMM_WORLD, as plain C functions Swift can call.
// Every function returns an MPI error code (MPI_SUCCESS is 0) unless it says otherwise.
#ifndef LOOM_MPI_BRIDGE_H
#define LOOM_MPI_BRIDGE_H
#include <stddef.h>

/// MPI_Init_thread asking for MPI_THREAD_FUNNELED (only the main thread calls MPI); the
/// communicator's errors are returned rather than aborting, so Loom can say what failed.
int loom_mpi_init(void);
/// 1 once MPI_Init has run and MPI_Finalize has not.
int loom_mpi_is_initialized(void);
int loom_mpi_finalize(void);
int loom_mpi_rank(void);
int loom_mpi_size(void);
/// In-place sum over all ranks (MPI_Allreduce with MPI_IN_PLACE).
int loom_mpi_allreduce_sum_float(float *buffer, long count);
int loom_mpi_allreduce_sum_double(double *buffer, long count);
/// Rank `root`'s bytes to every rank (MPI_Bcast).
int loom_mpi_broadcast(void *buffer, long bytes, int root);
/// Ends every rank of the job with this exit code (MPI_Abort); does not return.
void loom_mpi_abort(int code);
/// The implementation's text for an error code, into `text` (at most `capacity` bytes).
void loom_mpi_error_string(int code, char *text, int capacity);
#endif
