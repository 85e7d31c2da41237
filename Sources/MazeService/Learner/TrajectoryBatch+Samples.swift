import MazeWire

extension TrajectoryBatch {
    /// The rows the learner trains on, `steps × envs` (one per cycle of a structured batch): the unit of the
    /// learner's received, trained and per-second sample counts. Cannot overflow: the initializer checked a
    /// `[steps, envs]` tensor that holds this many elements.
    var samples: Int { steps * envs }
}
