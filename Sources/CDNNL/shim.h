#include <dnnl.h>
// libgomp reads OMP_NUM_THREADS only at load time; this lets --threads change it at run time.
extern void omp_set_num_threads(int n);
extern int omp_get_max_threads(void);
// libgomp's entry point behind `#pragma omp parallel` (GCC's ABI): runs fn(data) on a team of num_threads, the
// calling thread included. Swift kernels use it to run on the same team as oneDNN's primitives.
extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);
