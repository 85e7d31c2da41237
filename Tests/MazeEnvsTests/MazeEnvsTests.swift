// MazeEnvsTests: placeholder; delete when adding real tests.
