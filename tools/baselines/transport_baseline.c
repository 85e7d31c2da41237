/* PUSH -> PULL throughput in plain C: the baseline `maze bench transport` measures MazeZMQ against. */
#include "maze_baseline_transport.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

typedef struct {
    void *context;
    char endpoint[256];
    size_t message_count;
    size_t message_size;
    int error; /* errno of the first failure, 0 if none */
} sender_args;

static void *send_messages(void *argument) {
    sender_args *args = argument;
    void *push = zmq_socket(args->context, ZMQ_PUSH);
    unsigned char *payload = malloc(args->message_size ? args->message_size : 1);
    int linger = -1; /* closing right after the last send must still deliver everything queued */
    if (push == NULL || payload == NULL || zmq_setsockopt(push, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_connect(push, args->endpoint) != 0) {
        args->error = payload == NULL ? ENOMEM : zmq_errno();
    } else {
        memset(payload, 0x5a, args->message_size);
        for (size_t i = 0; i < args->message_count; i++) {
            int sent;
            do {
                sent = zmq_send(push, payload, args->message_size, 0);
            } while (sent == -1 && zmq_errno() == EINTR);
            if (sent == -1) {
                args->error = zmq_errno();
                break;
            }
        }
    }
    free(payload);
    if (push != NULL) zmq_close(push);
    return NULL;
}

static double seconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

/* Receives `count` messages of `size` bytes in place; 0 or an errno value. */
static int receive_messages(void *pull, size_t count, size_t size) {
    zmq_msg_t message;
    zmq_msg_init(&message);
    int error = 0;
    for (size_t i = 0; i < count && error == 0; i++) {
        int received;
        do {
            received = zmq_msg_recv(&message, pull, 0);
        } while (received == -1 && zmq_errno() == EINTR);
        if (received == -1) error = zmq_errno(); /* EAGAIN after the receive timeout */
        else if (zmq_msg_size(&message) != size) error = EPROTO;
    }
    zmq_msg_close(&message);
    return error;
}

double maze_transport_push_pull(const char *endpoint, size_t message_count, size_t message_size) {
    void *context = zmq_ctx_new();
    if (context == NULL) return -(double)zmq_errno();
    void *pull = zmq_socket(context, ZMQ_PULL);
    sender_args args = {context, {0}, message_count, message_size, 0};
    size_t endpoint_size = sizeof args.endpoint;
    int linger = 100; /* the same as MazeZMQ's default */
    int timeout = 30000; /* a failed sender must not block the receiver forever */
    int error = 0;
    if (pull == NULL || zmq_setsockopt(pull, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_setsockopt(pull, ZMQ_RCVTIMEO, &timeout, sizeof timeout) != 0 ||
        zmq_bind(pull, endpoint) != 0 ||
        zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, args.endpoint, &endpoint_size) != 0) {
        error = zmq_errno();
    }

    double elapsed = 0;
    if (error == 0) {
        pthread_t sender;
        double start = seconds_now();
        error = pthread_create(&sender, NULL, send_messages, &args);
        if (error == 0) {
            error = receive_messages(pull, message_count, message_size);
            elapsed = seconds_now() - start;
            pthread_join(sender, NULL);
            if (error == 0) error = args.error;
        }
    }

    if (pull != NULL) zmq_close(pull);
    zmq_ctx_term(context);
    if (error != 0) return -(double)error;
    return elapsed > 0 ? (double)message_count * (double)message_size / elapsed : 0;
}
