import CBLAS
import Foundation

/// The number of threads OpenBLAS uses in this process, and the default every `maze` process applies.
///
/// Measured on 2 cores (issue 19): at the shapes RL trains (100–1024 rows, widths 64–512) a second BLAS thread
/// buys no wall time, while its idle spinning costs as much kernel time as the work itself (PPO at the rl-zoo
/// CartPole settings: 5.4 s sys next to 9.2 s user with OpenBLAS's default of one thread per core, 0.06 s with
/// one thread). The cores are better spent on actors and envs, so the default is one BLAS thread per process;
/// parallelism comes from processes (`runner=local` actors), not from splitting small products.
///
/// Threading contract: call ``applyProcessDefault(environment:)`` once at process start, before any thread runs a
/// product; OpenBLAS's thread count is process-wide.
package enum BLASThreads {
    /// The environment variables through which a user chooses OpenBLAS's thread count; OpenBLAS reads them at
    /// load time, and an explicit choice is kept.
    package static let environmentKeys = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]

    /// The thread count this process should use: `nil` when the user chose one through `environment` (OpenBLAS
    /// has already applied it), else 1.
    package static func defaultCount(environment: [String: String]) -> Int? {
        environmentKeys.contains { environment[$0].map { !$0.isEmpty } ?? false } ? nil : 1
    }

    /// Applies ``defaultCount(environment:)`` and returns the thread count OpenBLAS now uses.
    @discardableResult
    package static func applyProcessDefault(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Int {
        if let count = defaultCount(environment: environment) { openblas_set_num_threads(Int32(count)) }
        return current
    }

    /// The thread count OpenBLAS uses now.
    package static var current: Int { Int(openblas_get_num_threads()) }
}
