import MazePerception

/// A runner that trains a perception model in this process: the dev runner of the actor-critics and SAC, or
/// Evolution Strategies' runner. `maze run … runner=dev` and RunContext train through this surface.
///
/// Threading: one thread drives a trainer.
package protocol InProcessTrainer<Model>: AnyObject {
    associatedtype Model: ActorCritic
    /// The model being trained (after ``resume(from:)`` of the best checkpoint: the best model).
    var model: Model { get }
    /// Trains until `n_epochs`, patience, the target return or the step limit stops it.
    func train() throws -> TrainingSummary
    /// The current weights, optimizer state, normalization statistics and config.
    func checkpoint() -> Checkpoint
    /// Continues from a checkpoint.
    func resume(from checkpoint: Checkpoint) throws
    /// Continues from the run folder named by the config's `input_dir` (empty: start afresh).
    func resume(inputDirectory: String) throws
}

extension DevRunner: InProcessTrainer {}
extension ESRunner: InProcessTrainer {}
