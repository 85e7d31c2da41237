#ifndef MAZE_CBLAS_SHIM_H
#define MAZE_CBLAS_SHIM_H
#include <cblas.h>
#endif
