import ArgumentParser
import MazeCommandLine

/// The shipped `maze` executable's root: every command of `MazeCommandLine`, plus `maze bench`.
struct Maze: ParsableCommand {
    static let configuration = MazeCommand.configuration(adding: [Bench.self])
}
