// MazeTensorTests: placeholder; delete when adding real tests.
