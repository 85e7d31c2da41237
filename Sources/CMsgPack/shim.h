#ifndef MAZE_CMSGPACK_SHIM_H
#define MAZE_CMSGPACK_SHIM_H
#include <msgpack.h>
#endif
