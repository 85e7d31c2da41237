import Foundation
import MazeCore

/// Reads the episode files ``MsgPackTrajectoryWriter`` writes (docs/TRAJECTORIES.md) back into
/// ``TrajectoryRecord`` values; a malformed file is a ``MazeError`` naming the offending field.
public enum MsgPackTrajectoryReader {
    /// The episode stored in the file at `url`.
    public static func read(contentsOf url: URL) throws -> TrajectoryRecord {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw MazeError.io("cannot read trajectory file \(url.path): \(error.localizedDescription)")
        }
        do { return try decode(data) } catch { throw MazeError.invalidValue("trajectory file \(url.path): \(error)") }
    }

    /// The episode encoded in `data`.
    public static func decode(_ data: Data) throws(MazeError) -> TrajectoryRecord {
        typealias Keys = TrajectoryFileFormat.Keys
        let decoded = data.withUnsafeBytes { bytes in Result { () throws(MazeError) in try MsgPackNode.decode(bytes) } }
        let root = Field(node: try decoded.get())
        let format = try root.required(Keys.format).string()
        let version = try root.required(Keys.version).unsigned()
        guard format == TrajectoryFileFormat.name, version == TrajectoryFileFormat.version else {
            throw .invalidValue("format '\(format)' version \(version) is not '\(TrajectoryFileFormat.name)' version 1")
        }
        return TrajectoryRecord(
            episodeIndex: try root.required(Keys.episodeIndex).integer(),
            envSeed: try root.required(Keys.envSeed).unsigned(),
            agentSeed: try root.required(Keys.agentSeed).unsigned(),
            steps: try root.required(Keys.steps).array().map { step throws(MazeError) in try step.trajectoryStep() })
    }
}

/// A decoded value with its dotted path, for error messages.
private struct Field {
    let node: MsgPackNode
    var path = ""

    private func wrongType(_ expected: String) -> MazeError {
        .invalidValue("field '\(path.isEmpty ? "(root)" : path)' is not \(expected)")
    }

    func entries() throws(MazeError) -> [Field] {
        guard case .map(let entries) = node else { throw wrongType("a map") }
        return entries.map { Field(node: $0.value, path: path.isEmpty ? $0.key : "\(path).\($0.key)") }
    }

    func keys() throws(MazeError) -> [String] {
        guard case .map(let entries) = node else { throw wrongType("a map") }
        return entries.map(\.key)
    }

    func required(_ key: String) throws(MazeError) -> Field {
        guard case .map(let entries) = node else { throw wrongType("a map") }
        guard let entry = entries.first(where: { $0.key == key }) else {
            throw .missingKey(path.isEmpty ? key : "\(path).\(key)", available: entries.map(\.key))
        }
        return Field(node: entry.value, path: path.isEmpty ? key : "\(path).\(key)")
    }

    func array() throws(MazeError) -> [Field] {
        guard case .array(let elements) = node else { throw wrongType("an array") }
        return elements.enumerated().map { Field(node: $1, path: "\(path)[\($0)]") }
    }

    func string() throws(MazeError) -> String {
        guard case .string(let value) = node else { throw wrongType("a string") }
        return value
    }

    func unsigned() throws(MazeError) -> UInt64 {
        guard case .unsigned(let value) = node else { throw wrongType("an unsigned integer") }
        return value
    }

    func integer() throws(MazeError) -> Int {
        switch node {
        case .signed(let value): return Int(value)
        case .unsigned(let value) where value <= UInt64(Int.max): return Int(value)
        default: throw wrongType("an integer")
        }
    }

    func double() throws(MazeError) -> Double {
        guard case .double(let value) = node else { throw wrongType("a float") }
        return value
    }

    func bool() throws(MazeError) -> Bool {
        guard case .bool(let value) = node else { throw wrongType("a boolean") }
        return value
    }

    func binary() throws(MazeError) -> [UInt8] {
        guard case .binary(let value) = node else { throw wrongType("binary data") }
        return value
    }

    func trajectoryStep() throws(MazeError) -> TrajectoryStep {
        typealias Keys = TrajectoryFileFormat.Keys
        let actor = try required(Keys.actor)
        let info = try required(Keys.info)
        return TrajectoryStep(
            actorID: ActorID(
                stepKey: StepKey(try actor.required(Keys.stepKey).string()),
                agentID: try actor.required(Keys.agentID).integer()),
            observation: try required(Keys.observation).namedArrays(),
            action: try required(Keys.action).namedArrays(),
            reward: try required(Keys.reward).double(),
            terminated: try required(Keys.terminated).bool(),
            truncated: try required(Keys.truncated).bool(),
            info: Dictionary(
                try zip(info.keys(), info.entries()).map { key, value throws(MazeError) in (key, try value.string()) },
                uniquingKeysWith: { _, last in last }))
    }

    func namedArrays() throws(MazeError) -> NamedArrays {
        NamedArrays(try zip(keys(), entries()).map { name, tensor throws(MazeError) in (name, try tensor.ndArray()) })
    }

    /// A `{dtype, shape, data}` tensor map with little-endian C-order data.
    func ndArray() throws(MazeError) -> NDArray {
        typealias Keys = TrajectoryFileFormat.Keys
        let dtypeField = try required(Keys.dtype)
        guard let dtype = DType(rawValue: try dtypeField.string()) else {
            throw .invalidValue("field '\(dtypeField.path)' must be 'float32' or 'int64'")
        }
        let shape = try required(Keys.shape).array().map { dimension throws(MazeError) in try dimension.integer() }
        let dataField = try required(Keys.data)
        let bytes = try dataField.binary()
        let (count, overflow) = shape.reduce((1, false)) { partial, dimension in
            let (product, overflow) = partial.0.multipliedReportingOverflow(by: dimension)
            return (product, partial.1 || overflow || dimension < 0)
        }
        let width = dtype == .float32 ? 4 : 8
        let (byteCount, byteOverflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow, !byteOverflow, bytes.count == byteCount else {
            throw .invalidValue(
                "field '\(dataField.path)' has \(bytes.count) bytes, \(dtype.rawValue) of shape \(shape) needs \(byteCount)"
            )
        }
        switch dtype {
        case .float32:
            return NDArray(
                floats: (0..<count).map { Float(bitPattern: Self.word(bytes, at: $0, as: UInt32.self)) }, shape: shape)
        case .int64:
            return NDArray(
                ints: (0..<count).map { Int(Int64(bitPattern: Self.word(bytes, at: $0, as: UInt64.self))) },
                shape: shape)
        }
    }

    private static func word<Word: FixedWidthInteger>(_ bytes: [UInt8], at index: Int, as type: Word.Type) -> Word {
        let width = MemoryLayout<Word>.size
        var word: Word = 0
        for byte in (0..<width).reversed() { word = word << 8 | Word(bytes[index * width + byte]) }
        return word
    }
}
