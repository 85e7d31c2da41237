// MazeZMQTests: placeholder; delete when adding real tests.
