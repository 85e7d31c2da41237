// Shapes shared by the control messages: string lists, optional fields and nested policy updates.

extension FrameWriter {
    mutating func write(_ strings: [String]) {
        writeArrayHeader(count: strings.count)
        for string in strings { write(string) }
    }

    /// Writes `key: value` only when `value` is present; absent and `nil` mean the same on the wire.
    mutating func writeKey<Value>(
        _ key: String, ifPresent value: Value?, _ writeValue: (inout FrameWriter, Value) -> Void
    ) {
        guard let value else { return }
        write(key)
        writeValue(&self, value)
    }
}

extension WireValue {
    /// An array of strings, such as capabilities or override arguments.
    func strings() throws(WireError) -> [String] {
        try array().map { element throws(WireError) in try element.string() }
    }
}

extension Optional {
    /// 1 when present, 0 when absent: the map entries an optional field adds.
    var entryCount: Int { self == nil ? 0 : 1 }
}

extension Array where Element == String {
    var payloadBytes: Int { reduce(0) { $0 + $1.utf8.count + 5 } }
}

/// Keys several control messages share.
enum ControlKeys {
    static let experimentID = "experiment_id"
}

/// A control message whose only field is an experiment id (`CurrentWeightsRequest`, `Submitted`, `Cancel`).
protocol ExperimentIDMessageBody: WireMessageBody {
    var experimentID: String { get }
    init(experimentID: String)
}

extension ExperimentIDMessageBody {
    var fieldCount: Int { 1 }
    var payloadBytes: Int { experimentID.utf8.count }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(ControlKeys.experimentID) { $0.write(experimentID) }
    }

    init(fields: WireMap) throws(WireError) {
        self.init(experimentID: try fields.required(ControlKeys.experimentID).string())
    }
}
