/// A joining actor asking the control socket for the policy it missed on the weights channel.
public struct CurrentWeightsRequest: Sendable, Equatable {
    public var experimentID: String

    public init(experimentID: String) {
        self.experimentID = experimentID
    }
}

/// The answer to `CurrentWeightsRequest`: the newest `PolicyUpdate` of the experiment, or `nil` if none exists yet.
public struct CurrentWeights: Sendable, Equatable {
    public var experimentID: String
    public var update: PolicyUpdate?

    public init(experimentID: String, update: PolicyUpdate?) {
        self.experimentID = experimentID
        self.update = update
    }
}

extension CurrentWeightsRequest: ExperimentIDMessageBody {
    static var messageType: WireMessageType { .currentWeightsRequest }
}

extension CurrentWeights: WireMessageBody {
    enum Keys {
        static let experimentID = "experiment_id"
        static let update = "update"
    }

    static var messageType: WireMessageType { .currentWeights }
    var fieldCount: Int { 1 + update.entryCount }
    var payloadBytes: Int { experimentID.utf8.count + (update?.payloadBytes ?? 0) + 64 }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.experimentID) { $0.write(experimentID) }
        // The update travels as a nested map of its own fields, without another envelope.
        writer.writeKey(Keys.update, ifPresent: update) { writer, update in
            writer.writeMapHeader(count: update.fieldCount)
            update.writeFields(to: &writer)
        }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            experimentID: try fields.required(Keys.experimentID).string(),
            update: try fields.optional(Keys.update).map { value throws(WireError) in
                try PolicyUpdate(fields: value.map())
            }
        )
    }
}
