// MazeCoreTests: placeholder; delete when adding real tests.
