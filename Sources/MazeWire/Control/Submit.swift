/// `maze submit` handing an experiment to the learner's queue; answered by `Submitted` or `ControlError`.
public struct Submit: Sendable, Equatable {
    /// The composed configuration as YAML text, overrides already applied.
    public var configYAML: String
    /// The overrides as typed (`env=gym_env`, `algorithm.lr=0.001`), kept for the experiment's records.
    public var overrides: [String]
    /// The full command line that submitted it, for reproducibility.
    public var commandLine: [String]
    /// The `algorithm=` option the config was composed with (`a2c`, `ppo`, `impala`); the composed YAML does not
    /// say it. `nil` from submitters that predate the field.
    public var algorithm: String?

    public init(configYAML: String, overrides: [String] = [], commandLine: [String] = [], algorithm: String? = nil) {
        self.configYAML = configYAML
        self.overrides = overrides
        self.commandLine = commandLine
        self.algorithm = algorithm
    }
}

/// The learner's receipt for a `Submit`: the id under which the experiment was queued.
public struct Submitted: Sendable, Equatable {
    public var experimentID: String

    public init(experimentID: String) {
        self.experimentID = experimentID
    }
}

extension Submit: WireMessageBody {
    enum Keys {
        static let configYAML = "config_yaml"
        static let overrides = "overrides"
        static let commandLine = "command_line"
        static let algorithm = "algorithm"
    }

    static var messageType: WireMessageType { .submit }
    var fieldCount: Int { 3 + algorithm.entryCount }
    var payloadBytes: Int {
        configYAML.utf8.count + overrides.payloadBytes + commandLine.payloadBytes + (algorithm?.utf8.count ?? 0)
    }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.configYAML) { $0.write(configYAML) }
        writer.writeKey(Keys.overrides) { $0.write(overrides) }
        writer.writeKey(Keys.commandLine) { $0.write(commandLine) }
        writer.writeKey(Keys.algorithm, ifPresent: algorithm) { $0.write($1) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            configYAML: try fields.required(Keys.configYAML).string(),
            overrides: try fields.required(Keys.overrides).strings(),
            commandLine: try fields.required(Keys.commandLine).strings(),
            algorithm: try fields.optional(Keys.algorithm)?.string()
        )
    }
}

extension Submitted: ExperimentIDMessageBody {
    static var messageType: WireMessageType { .submitted }
}
