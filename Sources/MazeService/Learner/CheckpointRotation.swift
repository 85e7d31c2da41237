import Foundation
import MazeReporting

/// The learner's resumable checkpoints of one experiment: `checkpoints/last` and the one before it,
/// `checkpoints/previous`.
///
/// A checkpoint is written whole into `checkpoints/last.partial` and only then rotated in (`last` becomes
/// `previous`, the new one becomes `last`, both by rename), so a crash, a full disk or a corrupted file costs at
/// most one checkpoint: `resumeCandidates` lists both, newest first, for the learner to try in turn.
struct CheckpointRotation {
    let last: URL
    let previous: URL
    let partial: URL

    init(experimentDirectory: URL) {
        last = RunFolder(root: experimentDirectory).lastCheckpointDirectory
        let checkpoints = last.deletingLastPathComponent()
        previous = checkpoints.appendingPathComponent("previous")
        partial = checkpoints.appendingPathComponent("last.partial")
    }

    /// Writes a checkpoint with `save` (which fills the folder it is given) and rotates it in. A failed write
    /// leaves `last` and `previous` as they were and removes what it wrote.
    func write(_ save: (URL) throws -> Void) throws {
        let manager = FileManager.default
        try? manager.removeItem(at: partial)
        do {
            try manager.createDirectory(at: partial, withIntermediateDirectories: true)
            try save(partial)
            if manager.fileExists(atPath: last.path) {
                try? manager.removeItem(at: previous)
                try manager.moveItem(at: last, to: previous)
            }
            try manager.moveItem(at: partial, to: last)
        } catch {
            try? manager.removeItem(at: partial)
            throw error
        }
    }

    /// The checkpoint folders present, newest first; anything at `last` or `previous` counts, so that a file
    /// or an empty folder there is reported as unusable rather than taken for "no checkpoint yet".
    var resumeCandidates: [URL] {
        [last, previous].filter { FileManager.default.fileExists(atPath: $0.path) }
    }
}
