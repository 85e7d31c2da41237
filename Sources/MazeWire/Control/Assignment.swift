/// The learner telling an actor which experiment to work on: its composed config and the policy version
/// the actor should fetch (with `CurrentWeightsRequest`) before its first rollout.
public struct Assignment: Sendable, Equatable {
    public var experimentID: String
    /// The experiment's composed configuration as YAML text (env, wrappers, model, algorithm).
    public var configYAML: String
    /// The current `PolicyUpdate.version`, or `nil` before the learner has published any weights.
    public var policyVersion: UInt64?
    /// The experiment's `algorithm=` option, as submitted (`nil` for experiments submitted without it).
    public var algorithm: String?

    public init(experimentID: String, configYAML: String, policyVersion: UInt64?, algorithm: String? = nil) {
        self.experimentID = experimentID
        self.configYAML = configYAML
        self.policyVersion = policyVersion
        self.algorithm = algorithm
    }
}

extension Assignment: WireMessageBody {
    enum Keys {
        static let experimentID = "experiment_id"
        static let configYAML = "config_yaml"
        static let policyVersion = "policy_version"
        static let algorithm = "algorithm"
    }

    static var messageType: WireMessageType { .assignment }
    var fieldCount: Int { 2 + policyVersion.entryCount + algorithm.entryCount }
    var payloadBytes: Int { experimentID.utf8.count + configYAML.utf8.count + 16 + (algorithm?.utf8.count ?? 0) }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.experimentID) { $0.write(experimentID) }
        writer.writeKey(Keys.configYAML) { $0.write(configYAML) }
        writer.writeKey(Keys.policyVersion, ifPresent: policyVersion) { $0.write($1) }
        writer.writeKey(Keys.algorithm, ifPresent: algorithm) { $0.write($1) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            experimentID: try fields.required(Keys.experimentID).string(),
            configYAML: try fields.required(Keys.configYAML).string(),
            policyVersion: try fields.optional(Keys.policyVersion)?.unsignedInteger(),
            algorithm: try fields.optional(Keys.algorithm)?.string()
        )
    }
}
