#include <dnnl.h>
// libgomp reads OMP_NUM_THREADS only at load time; this lets --threads change it at run time.
extern void omp_set_num_threads(int n);
extern int omp_get_max_threads(void);
