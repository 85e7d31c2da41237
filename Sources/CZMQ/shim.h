#ifndef MAZE_CZMQ_SHIM_H
#define MAZE_CZMQ_SHIM_H
#include <zmq.h>
#endif
