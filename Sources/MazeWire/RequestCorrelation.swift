/// The optional envelope keys that pair control answers with their requests: a client numbers each request
/// (`request_id`), and the learner names the request an answer is for (`in_reply_to`). A client that gets an
/// answer naming an older request knows it is stale (e.g. queued heartbeats answered by a restarted learner)
/// and ignores it. Both keys sit next to `v` and `type` in any message; receivers that do not know them skip them.
public struct RequestCorrelation: Sendable, Hashable {
    /// The sender's number for this request, increasing per sender.
    public var requestID: UInt64?
    /// The `request_id` of the request this message answers; absent on unsolicited messages (a new `Assignment`).
    public var inReplyTo: UInt64?

    public init(requestID: UInt64? = nil, inReplyTo: UInt64? = nil) {
        self.requestID = requestID
        self.inReplyTo = inReplyTo
    }

    static let requestIDKey = "request_id"
    static let inReplyToKey = "in_reply_to"

    var entryCount: Int { requestID.entryCount + inReplyTo.entryCount }

    func write(to writer: inout FrameWriter) {
        writer.writeKey(Self.requestIDKey, ifPresent: requestID) { $0.write($1) }
        writer.writeKey(Self.inReplyToKey, ifPresent: inReplyTo) { $0.write($1) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            requestID: try fields.optional(Self.requestIDKey)?.unsignedInteger(),
            inReplyTo: try fields.optional(Self.inReplyToKey)?.unsignedInteger())
    }
}
