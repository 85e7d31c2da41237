#ifndef MAZE_BASELINE_TRANSPORT_H
#define MAZE_BASELINE_TRANSPORT_H

#include <stddef.h>

/* Sends `message_count` messages of `message_size` bytes PUSH -> PULL over `endpoint` (bound by the
 * PULL side, e.g. "tcp://127.0.0.1:*"), sender and receiver on two threads of one fresh context with
 * libzmq's default high-water marks, the plain C way (zmq_send copying from one buffer, zmq_msg_recv
 * into one reused message). Returns bytes per second from starting the sender thread to receiving the
 * last message, or minus an errno value on failure. */
double maze_transport_push_pull(const char *endpoint, size_t message_count, size_t message_size);

#endif
