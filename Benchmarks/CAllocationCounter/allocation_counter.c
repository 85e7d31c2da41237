#include "maze_allocation_counter.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

// glibc's own entry points, which its malloc, calloc, realloc and memalign are aliases of.
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static _Atomic uint64_t calls;
static _Atomic uint64_t bytes;
// The calling thread's share; initial-exec TLS, whose access never allocates (no recursion into malloc).
static __attribute__((tls_model("initial-exec"))) _Thread_local maze_allocation_count thread_count;

static void count(size_t size) {
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&bytes, size, memory_order_relaxed);
    thread_count.calls += 1;
    thread_count.bytes += size;
}

void *malloc(size_t size) {
    count(size);
    return __libc_malloc(size);
}

void *calloc(size_t count_, size_t size) {
    count(count_ * size);
    return __libc_calloc(count_, size);
}

void *realloc(void *pointer, size_t size) {
    count(size);
    return __libc_realloc(pointer, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    count(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size) {
    count(size);
    return __libc_memalign(alignment, size);
}

_Bool maze_allocations_counted(void) { return 1; }

maze_allocation_count maze_allocations(void) {
    maze_allocation_count result = {
        atomic_load_explicit(&calls, memory_order_relaxed), atomic_load_explicit(&bytes, memory_order_relaxed)};
    return result;
}

maze_allocation_count maze_thread_allocations(void) { return thread_count; }
#else
_Bool maze_allocations_counted(void) { return 0; }

maze_allocation_count maze_allocations(void) {
    maze_allocation_count result = {0, 0};
    return result;
}

maze_allocation_count maze_thread_allocations(void) {
    maze_allocation_count result = {0, 0};
    return result;
}
#endif
