/// What each message type provides to the shared envelope code in `WireMessage`: its registry entry, its
/// fields after `"v"` and `"type"`, and how to read them back.
protocol WireMessageBody {
    static var messageType: WireMessageType { get }
    /// The number of map entries `writeFields` writes.
    var fieldCount: Int { get }
    /// Roughly the encoded size without the envelope, so the encoder can allocate once.
    var payloadBytes: Int { get }
    func writeFields(to writer: inout FrameWriter)
    init(fields: WireMap) throws(WireError)
}

extension WireMessageBody {
    /// Encodes the whole message: one map holding the envelope and the fields.
    func encodeFrame(correlation: RequestCorrelation = RequestCorrelation()) throws(WireError) -> EncodedFrame {
        var writer = try FrameWriter(capacity: payloadBytes + 256)
        writer.writeMapHeader(count: 2 + correlation.entryCount + fieldCount)
        writer.writeKey(EnvelopeKeys.version) { $0.write(WireProtocol.version) }
        writer.writeKey(EnvelopeKeys.type) { $0.write(Self.messageType.rawValue) }
        correlation.write(to: &writer)
        writeFields(to: &writer)
        return try writer.finish()
    }
}

/// The keys every message map carries.
enum EnvelopeKeys {
    static let version = "v"
    static let type = "type"
}

extension WireTensor {
    /// Data bytes plus a generous allowance for the tensor's map, dtype and shape.
    var payloadBytes: Int { bytes.count + 48 + 9 * shape.count }
}

extension Dictionary where Key == String, Value == WireTensor {
    var payloadBytes: Int {
        reduce(0) { $0 + $1.key.utf8.count + $1.value.payloadBytes }
    }
}
