// MPI (Debian: libopenmpi-dev; any implementation of the standard C API, such as MPICH, whose
// pkg-config file is named mpi-c). Swift cannot import the handle macros (MPI_COMM_WORLD,
// MPI_FLOAT, MPI_SUM are casts of global objects in Open MPI), so MPIBridge wraps them.
#include <mpi.h>
