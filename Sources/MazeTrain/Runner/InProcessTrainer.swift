import MazePerception

/// A runner that trains a perception model in this process: the dev runner of the actor-critics and SAC, or
/// Evolution Strategies' runner. `maze run … runner=dev` and RunContext train through this surface; what they
/// share besides the way they gather experience (the model, checkpoints, resuming) is their ``TrainingSession``.
///
/// Threading: one thread drives a trainer.
package protocol InProcessTrainer<Model>: AnyObject {
    associatedtype Model: ActorCritic
    /// The session this runner feeds: model, optimizer, epochs, evaluation and best model.
    var session: TrainingSession<Model> { get }
    /// Trains until `n_epochs`, patience, the target return or the step limit stops it.
    func train() throws -> TrainingSummary
}

extension InProcessTrainer {
    /// The model being trained (after ``resume(from:)`` of the best checkpoint: the best model).
    package var model: Model { session.model }

    /// The current weights, optimizer state, normalization statistics and config.
    package func checkpoint() -> Checkpoint {
        session.checkpoint()
    }

    /// Continues from a checkpoint (see ``TrainingSession/resume(from:)``).
    package func resume(from checkpoint: Checkpoint) throws {
        try session.resume(from: checkpoint)
    }

    /// Continues from the run folder named by the config's `input_dir` (empty: start afresh; see
    /// ``TrainingSession/resume(inputDirectory:)``).
    package func resume(inputDirectory: String) throws {
        try session.resume(inputDirectory: inputDirectory)
    }
}

extension DevRunner: InProcessTrainer {}
extension ESRunner: InProcessTrainer {}
