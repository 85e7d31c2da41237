extension PolicyUpdate: WireMessageBody {
    static var messageType: WireMessageType { .policyUpdate }

    var fieldCount: Int { 5 }

    var payloadBytes: Int {
        weights.payloadBytes + auxiliary.payloadBytes + experimentID.utf8.count
    }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.experimentID) { $0.write(experimentID) }
        writer.writeKey(Keys.version) { $0.write(version) }
        writer.writeKey(Keys.weights) { $0.write(weights) }
        writer.writeKey(Keys.stop) { $0.write(stop) }
        writer.writeKey(Keys.auxiliary) { $0.write(auxiliary) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            experimentID: try fields.required(Keys.experimentID).string(),
            version: try fields.required(Keys.version).unsignedInteger(),
            weights: try fields.required(Keys.weights).tensors(),
            stop: try fields.required(Keys.stop).bool(),
            auxiliary: try fields.required(Keys.auxiliary).tensors()
        )
    }
}
