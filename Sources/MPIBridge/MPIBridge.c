#include "MPIBridge.h"
#include <limits.h>
#include <mpi.h>

int loom_mpi_init(void) {
  int provided = 0;
  int status = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
  if (status != MPI_SUCCESS) return status;
  return MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

int loom_mpi_is_initialized(void) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized && !finalized;
}

int loom_mpi_finalize(void) { return MPI_Finalize(); }

int loom_mpi_rank(void) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int loom_mpi_size(void) {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

// MPI counts are ints: buffers longer than INT_MAX elements go in chunks.
static int allreduce_sum(void *buffer, long count, MPI_Datatype type, long size) {
  for (long start = 0; start < count; start += INT_MAX) {
    long n = count - start < INT_MAX ? count - start : INT_MAX;
    int status = MPI_Allreduce(MPI_IN_PLACE, (char *)buffer + start * size, (int)n, type, MPI_SUM, MPI_COMM_WORLD);
    if (status != MPI_SUCCESS) return status;
  }
  return MPI_SUCCESS;
}

int loom_mpi_allreduce_sum_float(float *buffer, long count) {
  return allreduce_sum(buffer, count, MPI_FLOAT, sizeof(float));
}

int loom_mpi_allreduce_sum_double(double *buffer, long count) {
  return allreduce_sum(buffer, count, MPI_DOUBLE, sizeof(double));
}

int loom_mpi_broadcast(void *buffer, long bytes, int root) {
  for (long start = 0; start < bytes; start += INT_MAX) {
    long n = bytes - start < INT_MAX ? bytes - start : INT_MAX;
    int status = MPI_Bcast((char *)buffer + start, (int)n, MPI_BYTE, root, MPI_COMM_WORLD);
    if (status != MPI_SUCCESS) return status;
  }
  return MPI_SUCCESS;
}

void loom_mpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

void loom_mpi_error_string(int code, char *text, int capacity) {
  char message[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, message, &length) != MPI_SUCCESS) length = 0;
  int n = length < capacity - 1 ? length : capacity - 1;
  for (int i = 0; i < n; i++) text[i] = message[i];
  if (capacity > 0) text[n < 0 ? 0 : n] = 0;
}
