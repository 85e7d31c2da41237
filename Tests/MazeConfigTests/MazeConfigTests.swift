// MazeConfigTests: placeholder; delete when adding real tests.
