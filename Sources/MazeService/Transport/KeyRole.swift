import MazeWire

/// What a client key may ask of the learner, given by the `role:` line of its `.key` file in the learner's
/// allow-list (docs/OPERATIONS.md, section 2).
///
/// - `actor`: the actor protocol (Register, Heartbeat, CurrentWeightsRequest) and StatusRequest;
/// - `submitter`: Submit and StatusRequest (a person or a pipeline that queues experiments);
/// - `operator`: everything, including Cancel.
///
/// A compromised actor host can therefore neither queue nor cancel experiments.
public enum KeyRole: String, Sendable, CaseIterable, Codable {
    case actor
    case submitter
    case `operator`

    /// Whether a key of this role may send `request`.
    func permits(_ request: WireMessage) -> Bool {
        switch (self, request) {
        case (.operator, _), (_, .statusRequest): true
        case (.actor, .register), (.actor, .heartbeat), (.actor, .currentWeightsRequest): true
        case (.submitter, .submit): true
        default: false
        }
    }
}
