/// The learner's broadcast of a new policy version to its actors.
///
/// Actors keep only the newest update. `stop` asks them to finish; `auxiliary` carries tensors that are not
/// policy weights but must travel with them, such as observation normalization statistics.
public struct PolicyUpdate: Sendable, Equatable {
    /// The experiment the policy belongs to.
    public var experimentID: String
    /// Increases by one with every optimizer step that changes the weights.
    public var version: UInt64
    /// Parameters by name.
    public var weights: [String: WireTensor]
    /// Asks actors to stop after this update.
    public var stop: Bool
    /// Extra tensors by name, e.g. normalization statistics.
    public var auxiliary: [String: WireTensor]

    public init(
        experimentID: String,
        version: UInt64,
        weights: [String: WireTensor],
        stop: Bool = false,
        auxiliary: [String: WireTensor] = [:]
    ) {
        self.experimentID = experimentID
        self.version = version
        self.weights = weights
        self.stop = stop
        self.auxiliary = auxiliary
    }
}

extension PolicyUpdate {
    /// The map keys of a `PolicyUpdate` frame (docs/PROTOCOL.md).
    enum Keys {
        static let experimentID = "experiment_id"
        static let version = "version"
        static let weights = "weights"
        static let stop = "stop"
        static let auxiliary = "auxiliary"
    }
}
