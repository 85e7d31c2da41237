/// An actor worker or client introducing itself on the control socket; the learner answers with an
/// `Assignment` when an experiment is running and a `Heartbeat` otherwise.
public struct Register: Sendable, Equatable {
    /// A name unique among the learner's workers, e.g. `host-a/actor-3`.
    public var workerID: String
    /// The host name the worker runs on, for `maze status` and logs.
    public var host: String
    /// The worker's process id on `host`.
    public var processID: UInt64
    /// A short fingerprint of the worker's CURVE public key (empty on insecure links).
    public var keyFingerprint: String
    /// What the worker can do, e.g. `["cpu", "vector_env"]`.
    public var capabilities: [String]

    public init(
        workerID: String, host: String, processID: UInt64, keyFingerprint: String = "", capabilities: [String] = []
    ) {
        self.workerID = workerID
        self.host = host
        self.processID = processID
        self.keyFingerprint = keyFingerprint
        self.capabilities = capabilities
    }
}

extension Register: WireMessageBody {
    enum Keys {
        static let workerID = "worker_id"
        static let host = "host"
        static let processID = "pid"
        static let keyFingerprint = "key_fingerprint"
        static let capabilities = "capabilities"
    }

    static var messageType: WireMessageType { .register }
    var fieldCount: Int { 5 }
    var payloadBytes: Int {
        workerID.utf8.count + host.utf8.count + keyFingerprint.utf8.count + capabilities.payloadBytes
    }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.workerID) { $0.write(workerID) }
        writer.writeKey(Keys.host) { $0.write(host) }
        writer.writeKey(Keys.processID) { $0.write(processID) }
        writer.writeKey(Keys.keyFingerprint) { $0.write(keyFingerprint) }
        writer.writeKey(Keys.capabilities) { $0.write(capabilities) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            workerID: try fields.required(Keys.workerID).string(),
            host: try fields.required(Keys.host).string(),
            processID: try fields.required(Keys.processID).unsignedInteger(),
            keyFingerprint: try fields.required(Keys.keyFingerprint).string(),
            capabilities: try fields.required(Keys.capabilities).strings()
        )
    }
}
