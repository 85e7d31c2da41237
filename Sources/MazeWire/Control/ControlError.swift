/// A refusal on the control socket: the request could not be decoded or cannot be honoured.
///
/// `code` is stable and machine-readable (see docs/PROTOCOL.md); `message` is for people.
public struct ControlError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension ControlError: WireMessageBody {
    enum Keys {
        static let code = "code"
        static let message = "message"
    }

    static var messageType: WireMessageType { .error }
    var fieldCount: Int { 2 }
    var payloadBytes: Int { code.utf8.count + message.utf8.count }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.code) { $0.write(code) }
        writer.writeKey(Keys.message) { $0.write(message) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(code: try fields.required(Keys.code).string(), message: try fields.required(Keys.message).string())
    }
}
