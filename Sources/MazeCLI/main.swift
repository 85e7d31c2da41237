import MazeCommandLine
import MazeTrain

// The shipped `maze`: the standard commands with the built-in components, plus `maze bench` (forwarded to maze-bench).
await MazeCommand.main(components: .builtIn, root: Maze.self)
