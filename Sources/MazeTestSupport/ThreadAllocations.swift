import CAllocationCounter

/// The heap allocations (`malloc`-family calls) of the calling thread, for tests that a steady state allocates nothing.
public enum ThreadAllocations {
    /// Whether counts mean something: on glibc (CAllocationCounter) and in an optimized build, since unoptimized code
    /// calls the standard library's unspecialized generics, which allocate on their own (tools/test.sh runs the
    /// `SteadyStateAllocationTests` suites in release).
    public static var areCounted: Bool { maze_allocations_counted() && isOptimized }

    /// The allocations this thread makes during `body`, and what it returned.
    public static func count<Result>(_ body: () throws -> Result) rethrows -> (calls: UInt64, result: Result) {
        let before = maze_thread_allocations()
        let result = try body()
        let after = maze_thread_allocations()
        return (after.calls - before.calls, result)
    }

    #if DEBUG
        private static let isOptimized = false
    #else
        private static let isOptimized = true
    #endif
}
