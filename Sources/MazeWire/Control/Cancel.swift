/// `maze cancel ID`: stop a running experiment or drop a queued one.
public struct Cancel: Sendable, Equatable {
    public var experimentID: String

    public init(experimentID: String) {
        self.experimentID = experimentID
    }
}

/// The learner's confirmation of a `Cancel`, with the state the experiment was in.
public struct Cancelled: Sendable, Equatable {
    public var experimentID: String
    public var previousState: ExperimentState

    public init(experimentID: String, previousState: ExperimentState) {
        self.experimentID = experimentID
        self.previousState = previousState
    }
}

extension Cancel: ExperimentIDMessageBody {
    static var messageType: WireMessageType { .cancel }
}

extension Cancelled: WireMessageBody {
    enum Keys {
        static let previousState = "previous_state"
    }

    static var messageType: WireMessageType { .cancelled }
    var fieldCount: Int { 2 }
    var payloadBytes: Int { experimentID.utf8.count + 16 }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(ControlKeys.experimentID) { $0.write(experimentID) }
        writer.writeKey(Keys.previousState) { $0.write(previousState.rawValue) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            experimentID: try fields.required(ControlKeys.experimentID).string(),
            previousState: try fields.required(Keys.previousState).experimentState()
        )
    }
}
