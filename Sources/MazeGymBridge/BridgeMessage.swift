import Foundation
import MazeCore
import MazeTrajectory
import MazeWire

/// The msgpack requests swift-maze sends to an env server and the reading of its replies
/// (the format is described in `python/maze_gym_bridge/server.py`).
enum BridgeMessage {
    /// Seeds sent to Python are below this bound, Maze's `int32.max + 1`.
    static let pythonSeedRange: UInt64 = 1 << 31

    /// `{"op": "init", "name": …, "spec": {"id" | "target": …, "kwargs": {…}}}`.
    static func initialize(_ spec: GymEnvSpec) throws -> Data {
        try request("init", fields: 2) { packer in
            packer.write("name")
            packer.write(spec.displayName)
            packer.write("spec")
            packer.writeMapHeader(count: 2)
            packer.write(spec.id == nil ? "target" : "id")
            packer.write(spec.id ?? spec.target ?? "")
            packer.write("kwargs")
            write(spec.kwargs, to: &packer)
        }
    }

    /// `{"op": "add", "count": n}`.
    static func add(count: Int) throws -> Data {
        try request("add", fields: 1) { packer in
            packer.write("count")
            packer.write(count)
        }
    }

    /// `{"op": "reset", "slots": […], "seeds": [seed or nil, …]}`. Seeds reach Python in Maze's range, below
    /// 2³¹ (Maze draws env instance seeds with `randint(int32.max)`): envs seeded through
    /// `numpy.random.RandomState`, such as MinAtar's, refuse seeds of 2³² and more.
    static func reset(slots: [Int], seeds: [UInt64?]) throws -> Data {
        try request("reset", fields: 2) { packer in
            writeSlots(slots, to: &packer)
            packer.write("seeds")
            packer.writeArrayHeader(count: seeds.count)
            for seed in seeds {
                if let seed { packer.write(seed % pythonSeedRange) } else { packer.writeNil() }
            }
        }
    }

    /// `{"op": "step", "slots": […], "actions": {key: f4 [n, …]}}`, from one action row per slot.
    static func step(slots: [Int], actions rows: [[Float]], space: DictSpace) throws -> Data {
        try request("step", fields: 2) { packer in
            writeSlots(slots, to: &packer)
            packer.write("actions")
            packer.writeMapHeader(count: space.count)
            for (entry, offset) in zip(space, space.flatOffsets) {
                let width = entry.space.elementCount
                var column = [Float]()
                column.reserveCapacity(rows.count * width)
                for row in rows { column += row[offset..<offset + width] }
                packer.write(entry.key)
                writeTensor(column, shape: [rows.count] + entry.space.shape, to: &packer)
            }
        }
    }

    /// `{"op": "render", "slot": n}`.
    static func render(slot: Int) throws -> Data {
        try request("render", fields: 1) { packer in
            packer.write("slot")
            packer.write(slot)
        }
    }

    /// A request map: `op` and the `fields` key-value pairs `body` writes.
    private static func request(_ op: String, fields: Int, _ body: (inout MsgPackPacker) -> Void) throws -> Data {
        var packer = MsgPackPacker()
        packer.writeMapHeader(count: fields + 1)
        packer.write("op")
        packer.write(op)
        body(&packer)
        return try packer.finish()
    }

    private static func writeSlots(_ slots: [Int], to packer: inout MsgPackPacker) {
        packer.write("slots")
        packer.writeArrayHeader(count: slots.count)
        for slot in slots { packer.write(slot) }
    }

    private static func writeTensor(_ values: [Float], shape: [Int], to packer: inout MsgPackPacker) {
        packer.writeMapHeader(count: 3)
        packer.write("dtype")
        packer.write(WireTensor.DType.float32.rawValue)
        packer.write("shape")
        packer.writeArrayHeader(count: shape.count)
        for dimension in shape { packer.write(dimension) }
        packer.write("data")
        values.withUnsafeBytes { packer.write(binary: $0) }
    }

    /// A config value as msgpack (maps with sorted keys, so equal configs give equal requests).
    static func write(_ value: ConfigNode, to packer: inout MsgPackPacker) {
        switch value {
        case .null: packer.writeNil()
        case .bool(let flag): packer.write(flag)
        case .int(let number): packer.write(number)
        case .double(let number): packer.write(number)
        case .string(let text): packer.write(text)
        case .list(let elements):
            packer.writeArrayHeader(count: elements.count)
            for element in elements { write(element, to: &packer) }
        case .map(let entries):
            packer.writeMapHeader(count: entries.keys.count)
            for key in entries.keys.sorted() {
                packer.write(key)
                write(entries[key] ?? .null, to: &packer)
            }
        }
    }
}

/// A decoded reply of an env server.
struct BridgeReply {
    let root: MsgPackNode
    let env: String

    /// Decodes `bytes`; an `error` reply becomes ``GymBridgeError/pythonException(env:message:traceback:)``.
    init(_ bytes: UnsafeRawBufferPointer, env: String) throws {
        self.env = env
        do {
            root = try MsgPackNode.decode(bytes)
        } catch {
            throw GymBridgeError.malformedReply(env: env, detail: error.description)
        }
        guard case .map = root else { throw GymBridgeError.malformedReply(env: env, detail: "the reply is not a map") }
        if let message = root["error"]?.stringValue {
            throw GymBridgeError.pythonException(
                env: env, message: message, traceback: root["traceback"]?.stringValue ?? "")
        }
    }

    func require(_ key: String) throws -> MsgPackNode {
        guard let value = root[key] else { throw GymBridgeError.malformedReply(env: env, detail: "no '\(key)'") }
        return value
    }

    /// The integers of the array `key`.
    func integers(_ key: String) throws -> [Int] {
        guard case .array(let elements) = try require(key) else {
            throw GymBridgeError.malformedReply(env: env, detail: "'\(key)' is not an array")
        }
        return try elements.map { element in
            guard let value = element.intValue else {
                throw GymBridgeError.malformedReply(env: env, detail: "'\(key)' holds a non-integer")
            }
            return value
        }
    }

    /// The tensor `key` (`{dtype, shape, data}`) as floats, checked to hold `rows × width` elements.
    func floats(_ node: MsgPackNode, name: String, rows: Int, width: Int) throws -> [Float] {
        guard let dtypeCode = node["dtype"]?.stringValue, let dtype = WireTensor.DType(rawValue: dtypeCode),
            case .array(let shapeNodes) = node["shape"] ?? .none, case .binary(let bytes) = node["data"] ?? .none
        else { throw GymBridgeError.malformedReply(env: env, detail: "'\(name)' is not a tensor {dtype, shape, data}") }
        let shape = try shapeNodes.map { dimension in
            guard let value = dimension.intValue else {
                throw GymBridgeError.malformedReply(env: env, detail: "'\(name)' has a bad shape")
            }
            return value
        }
        let tensor: WireTensor
        do { tensor = try WireTensor(dtype: dtype, shape: shape, bytes: bytes) } catch {
            throw GymBridgeError.malformedReply(env: env, detail: "'\(name)': \(error)")
        }
        let (expected, overflow) = rows.multipliedReportingOverflow(by: width)
        guard !overflow, tensor.elementCount == expected else {
            throw GymBridgeError.malformedReply(
                env: env, detail: "'\(name)' has \(tensor.elementCount) elements, expected \(rows) × \(width)")
        }
        switch dtype {
        case .float32: return try tensor.values(as: Float.self)
        case .int32: return try tensor.values(as: Int32.self).map(Float.init)
        case .int64: return try tensor.values(as: Int64.self).map(Float.init)
        case .uint8: return try tensor.values(as: UInt8.self).map(Float.init)
        case .bool: return try tensor.bools().map { $0 ? 1 : 0 }
        }
    }

    /// The tensor dict `key` as one row of `space.flatCount` floats per env, in the space's key order.
    func observationRows(_ key: String, space: DictSpace, rows: Int) throws -> [[Float]] {
        let tensors = try require(key)
        var result = [[Float]](repeating: [], count: rows)
        for row in 0..<rows { result[row].reserveCapacity(space.flatCount) }
        for entry in space {
            guard let node = tensors[entry.key] else {
                throw GymBridgeError.malformedReply(env: env, detail: "'\(key)' has no '\(entry.key)'")
            }
            let width = entry.space.elementCount
            let values = try floats(node, name: "\(key).\(entry.key)", rows: rows, width: width)
            for row in 0..<rows { result[row] += values[row * width..<(row + 1) * width] }
        }
        return result
    }
}

extension MsgPackNode {
    /// The value of `key` in a map, or `nil`.
    subscript(key: String) -> MsgPackNode? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var intValue: Int? {
        switch self {
        case .unsigned(let value): Int(exactly: value)
        case .signed(let value): Int(exactly: value)
        default: nil
        }
    }

    var doubleValue: Double? {
        switch self {
        case .double(let value): value
        case .unsigned(let value): Double(value)
        case .signed(let value): Double(value)
        default: nil
        }
    }
}
