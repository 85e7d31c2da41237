#ifndef MAZE_ALLOCATION_COUNTER_H
#define MAZE_ALLOCATION_COUNTER_H

#include <stdint.h>

/// Heap allocations of the whole process, counted by `malloc`, `calloc`, `realloc`, `posix_memalign` and
/// `aligned_alloc` wrappers that this object file defines in the `maze-bench` executable (glibc only; the
/// executable's definitions take precedence over libc's for every library in the process). Benchmarks and tests
/// only: the product never links it.
typedef struct {
    /// Calls that allocated (a `realloc` counts as one).
    uint64_t calls;
    /// Bytes requested by those calls.
    uint64_t bytes;
} maze_allocation_count;

/// Whether allocations are counted in this process (false off glibc, where the wrappers are not built).
_Bool maze_allocations_counted(void);

/// The counts since the process started; read them before and after the code measured.
maze_allocation_count maze_allocations(void);

/// The counts of the calling thread alone since it started: what tests read, which run beside other tests.
maze_allocation_count maze_thread_allocations(void);

#endif
