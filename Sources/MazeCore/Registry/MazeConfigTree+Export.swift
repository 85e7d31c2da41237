/// Component factories read their parameters as a `ConfigSection` (MazeConfigTree): importing MazeCore brings the
/// configuration tree and its typed reader along, so an env package needs no other import to register its env.
@_exported import MazeConfigTree
