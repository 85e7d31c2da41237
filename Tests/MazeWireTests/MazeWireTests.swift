// MazeWireTests: placeholder; delete when adding real tests.
