/// The configuration tree (`ConfigNode`) and its typed reader (`ConfigSection`) live in MazeConfigTree, below
/// MazeCore, so that component registries and the YAML composer share one value model; importing MazeConfig
/// brings them along.
@_exported import MazeConfigTree
