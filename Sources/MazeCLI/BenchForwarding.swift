import ArgumentParser
import Foundation

/// `maze bench …`: runs the `maze-bench` executable next to this `maze` with the same arguments, so the benchmarks
/// stay a `maze` command while their code and C baselines stay out of the product.
///
/// `maze-bench` replaces this process (`execv`): its output, exit status and signals are the command's own.
struct BenchForwarding: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput against baselines measured in the same run (runs maze-bench).",
        discussion: "`maze bench --help` lists the benchmarks. Needs maze-bench next to maze: \(buildCommand)",
        helpNames: [])

    static let buildCommand = "swift build -c release --product maze-bench"

    @Argument(parsing: .captureForPassthrough, help: "The benchmark and its options, passed to maze-bench.")
    var arguments: [String] = []

    func run() throws {
        let own = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        let bench = own.deletingLastPathComponent().appendingPathComponent("maze-bench").path
        guard FileManager.default.isExecutableFile(atPath: bench) else {
            throw BenchUnavailable(
                reason: "`maze bench` runs \(bench), which is not there; build it: \(Self.buildCommand)")
        }
        let argv = ([bench] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        execv(bench, argv)
        throw BenchUnavailable(reason: "could not start \(bench): \(String(cString: strerror(errno)))")
    }
}

/// Why `maze bench` could not run `maze-bench` (printed without a usage line: the command line was fine).
struct BenchUnavailable: Error, CustomStringConvertible {
    let reason: String

    var description: String { reason }
}
