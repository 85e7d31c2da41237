import Foundation

/// The `maze` executable that benchmarks start as child processes (actor workers, training runs): the one next to
/// this `maze-bench`, as `swift build` places them, so both come from the same build.
enum MazeExecutable {
    /// The path of `maze` in this executable's directory; throws, naming the build command, when it is missing.
    static func path() throws -> String {
        let own = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        let maze = own.deletingLastPathComponent().appendingPathComponent("maze").path
        guard FileManager.default.isExecutableFile(atPath: maze) else { throw BenchError.mazeMissing(maze) }
        return maze
    }
}
