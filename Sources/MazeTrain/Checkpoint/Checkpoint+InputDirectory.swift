import Foundation

extension Checkpoint {
    /// The checkpoint a config's `input_dir` names: a run folder (as Maze's docs write it) means its best
    /// model, `<run>/checkpoints/best`; a folder that holds the weights itself is taken as it is.
    public static func load(inputDirectory path: String) throws -> Checkpoint {
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        let best = directory.appendingPathComponent("checkpoints/best", isDirectory: true)
        let manager = FileManager.default
        let holdsWeights = manager.fileExists(atPath: directory.appendingPathComponent(weightsFile).path)
        guard !holdsWeights, manager.fileExists(atPath: best.appendingPathComponent(weightsFile).path) else {
            return try load(from: directory)
        }
        return try load(from: best)
    }
}
