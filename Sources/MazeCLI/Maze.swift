import ArgumentParser
import MazeCommandLine

/// The shipped `maze` executable's root: every command of `MazeCommandLine`, plus `maze bench` (which runs the
/// separate `maze-bench` executable).
struct Maze: ParsableCommand {
    static let configuration = MazeCommand.configuration(adding: [BenchForwarding.self])
}
