import MazeCommandLine
import MazeTrain

// The shipped `maze`: the standard commands with the built-in components, plus the benchmarks.
await MazeCommand.main(components: .builtIn, root: Maze.self)
