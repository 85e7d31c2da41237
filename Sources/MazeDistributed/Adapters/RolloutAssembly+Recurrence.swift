import MazeTrain
import MazeWire

extension RolloutAssembly {
    /// The initial recurrent states of the batches' envs, side by side in the buffer's env order (batch after
    /// batch), from which a recurrent model recomputes the rollout. Batches of a feed-forward policy carry none;
    /// the learner's schema has already checked each batch's `initial_state` against the model.
    static func recordInitialStates(of batches: [TrajectoryBatch], into buffer: inout RolloutBuffer) throws {
        guard batches.contains(where: { $0.initialState != nil }) else { return }
        let states = batches.compactMap { $0.initialState }
        guard states.count == batches.count, Set(states.map { $0.shape.last ?? 0 }).count == 1 else {
            throw AdapterError.incompatibleBatches("some batches carry an initial_state of another width, or none")
        }
        buffer.recordInitialStates(try states.flatMap { try $0.values(as: Float.self) })
    }
}
