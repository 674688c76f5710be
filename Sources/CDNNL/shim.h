#include <oneapi/dnnl/dnnl.h>

// OpenMP controls from libgomp (oneDNN's threading runtime in Debian's build). Declared here because clang
// does not ship omp.h on this system; link "gomp" in the module map resolves them.
void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);
