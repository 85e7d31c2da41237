import MazeWire
import Testing

/// Frames that are valid msgpack but break the protocol's schema, written with the independent `RawMsgPack`.
@Suite("Schema violations are typed errors")
struct SchemaErrorTests {
    /// The entries of a valid PolicyUpdate frame, to be altered one at a time.
    private static let policyUpdateEntries: [(String, RawMsgPack)] = [
        ("v", .uint(1)),
        ("type", .string("PolicyUpdate")),
        ("experiment_id", .string("exp")),
        ("version", .uint(9)),
        ("weights", .object(["w": .tensor("f4", [2], [0, 0, 128, 63, 0, 0, 0, 64])])),
        ("stop", .bool(false)),
        ("auxiliary", .map([])),
    ]

    private static func policyUpdate(
        replacing replaced: [String: RawMsgPack] = [:], removing removed: Set<String> = [],
        adding added: [(String, RawMsgPack)] = []
    ) -> [UInt8] {
        let entries =
            policyUpdateEntries.filter { !removed.contains($0.0) }.map { ($0.0, replaced[$0.0] ?? $0.1) } + added
        return RawMsgPack.map(entries.map { (.string($0.0), $0.1) }).bytes
    }

    @Test("The unaltered raw frame decodes, written with the widest msgpack headers")
    func validRawFrame() throws {
        let decoded = try Fixtures.decode(Self.policyUpdate())
        let expected = PolicyUpdate(
            experimentID: "exp", version: 9, weights: ["w": try WireTensor(shape: [2], values: [Float(1), 2])])
        #expect(decoded == .policyUpdate(expected))
    }

    @Test("Unknown keys are ignored at every level, as is a non-string key")
    func unknownKeysIgnored() throws {
        let frame = RawMsgPack.map([
            (.string("v"), .uint(1)), (.string("type"), .string("PolicyUpdate")),
            (.string("experiment_id"), .string("exp")), (.string("version"), .uint(9)),
            (
                .string("weights"),
                .object([
                    "w": .object([
                        "dtype": .string("u1"), "shape": .array([.uint(1)]), "data": .binary([7]),
                        "strides": .array([]),
                    ])
                ])
            ),
            (.string("stop"), .bool(true)), (.string("auxiliary"), .map([])),
            (.string("added_in_v1_5"), .array([.double(1), .null, .map([])])),
            (.uint(17), .string("integer key")),
        ]).bytes
        guard case .policyUpdate(let update) = try Fixtures.decode(frame) else {
            Issue.record("expected a PolicyUpdate")
            return
        }
        #expect(update.stop)
        #expect(update.weights["w"]?.bytes == [7])
    }

    @Test("Unknown type and unsupported version")
    func envelope() {
        #expect(throws: WireError.unknownType("Telemetry")) {
            try Fixtures.decode(Self.policyUpdate(replacing: ["type": .string("Telemetry")]))
        }
        #expect(throws: WireError.unsupportedVersion(2)) {
            try Fixtures.decode(Self.policyUpdate(replacing: ["v": .uint(2), "type": .string("FromTheFuture")]))
        }
        #expect(throws: WireError.missingField("v")) { try Fixtures.decode(Self.policyUpdate(removing: ["v"])) }
        #expect(throws: WireError.wrongType(field: "message", expected: "a map")) {
            try Fixtures.decode(RawMsgPack.array([]).bytes)
        }
    }

    @Test("Wrong field types name the field and the expected type")
    func wrongTypes() {
        let cases: [(String, RawMsgPack, WireError)] = [
            ("v", .int(-1), .wrongType(field: "v", expected: "an unsigned integer")),
            ("type", .uint(3), .wrongType(field: "type", expected: "a string")),
            ("version", .double(1), .wrongType(field: "version", expected: "an unsigned integer")),
            ("stop", .uint(1), .wrongType(field: "stop", expected: "a boolean")),
            ("weights", .array([]), .wrongType(field: "weights", expected: "a map")),
            ("experiment_id", .binary([65]), .wrongType(field: "experiment_id", expected: "a string")),
            ("auxiliary", .object(["x": .string("t")]), .wrongType(field: "auxiliary.x", expected: "a map")),
        ]
        for (key, value, error) in cases {
            #expect(throws: error) { try Fixtures.decode(Self.policyUpdate(replacing: [key: value])) }
        }
        #expect(throws: WireError.missingField("stop")) { try Fixtures.decode(Self.policyUpdate(removing: ["stop"])) }
        let integerName = RawMsgPack.map([(.uint(0), .tensor("u1", [0], []))])
        #expect(throws: WireError.wrongType(field: "weights (a map key)", expected: "a string")) {
            try Fixtures.decode(Self.policyUpdate(replacing: ["weights": integerName]))
        }
    }

    @Test("Tensor dtype, shape and data are checked")
    func tensorErrors() {
        let cases: [(RawMsgPack, WireError)] = [
            (
                .tensor("f4", [3], [0, 0, 0, 0, 0, 0, 0, 0]),
                .tensorSizeMismatch(field: "weights.w.data", expectedBytes: 12, actualBytes: 8)
            ),
            (.tensor("f8", [1], [0, 0, 0, 0, 0, 0, 0, 0]), .invalidDType(field: "weights.w.dtype", dtype: "f8")),
            (.tensor("u1", [1 << 62, 8], []), .invalidShape(field: "weights.w", shape: [1 << 62, 8])),
            (
                .object(["dtype": .string("u1"), "shape": .array([.int(-1)]), "data": .binary([])]),
                .wrongType(field: "weights.w.shape[0]", expected: "an unsigned integer")
            ),
            (
                .object(["dtype": .string("u1"), "shape": .array([]), "data": .string("x")]),
                .wrongType(field: "weights.w.data", expected: "binary data (msgpack bin)")
            ),
            (.object(["dtype": .string("u1"), "data": .binary([1])]), .missingField("weights.w.shape")),
        ]
        for (tensor, error) in cases {
            #expect(throws: error) {
                try Fixtures.decode(Self.policyUpdate(replacing: ["weights": .object(["w": tensor])]))
            }
        }
    }

    @Test("Duplicate keys and invalid UTF-8 are malformed")
    func duplicatesAndEncoding() {
        #expect(throws: WireError.malformed("duplicate key 'stop'")) {
            try Fixtures.decode(Self.policyUpdate(adding: [("stop", .bool(true))]))
        }
        let duplicateTensor = RawMsgPack.map([
            (.string("w"), .tensor("u1", [0], [])), (.string("w"), .tensor("u1", [0], [])),
        ])
        #expect(throws: WireError.malformed("duplicate key 'weights.w'")) {
            try Fixtures.decode(Self.policyUpdate(replacing: ["weights": duplicateTensor]))
        }
        var invalidUTF8 = Self.policyUpdate(replacing: ["experiment_id": .string("a#c")])
        let index = invalidUTF8.firstIndex(of: UInt8(ascii: "#"))
        invalidUTF8[index ?? 0] = 0xff
        #expect(throws: WireError.malformed("field 'experiment_id' is not valid UTF-8")) {
            try Fixtures.decode(invalidUTF8)
        }
    }

    @Test("TrajectoryBatch tensors must agree with T and B")
    func trajectoryShapes() throws {
        let batch = try Fixtures.trajectoryBatch(steps: 3, envs: 2)
        #expect(throws: WireError.shapeMismatch(field: "rewards", expected: "[3, 2]", actual: [2, 3])) {
            try TrajectoryBatch(
                experimentID: "", actorID: "", policyVersion: 0, steps: 3, envs: 2, observations: [:], actions: [:],
                rewards: try WireTensor(shape: [2, 3], values: [Float](repeating: 0, count: 6)),
                terminated: batch.terminated, truncated: batch.truncated, behaviourLogProbs: batch.behaviourLogProbs)
        }
        #expect(
            throws: WireError.shapeMismatch(
                field: "observations.o", expected: "[4, 2] followed by any feature dimensions", actual: [3, 2])
        ) {
            try TrajectoryBatch(
                experimentID: "", actorID: "", policyVersion: 0, steps: 3, envs: 2,
                observations: ["o": try WireTensor(shape: [3, 2], values: [Float](repeating: 0, count: 6))],
                actions: [:],
                rewards: batch.rewards, terminated: batch.terminated, truncated: batch.truncated,
                behaviourLogProbs: batch.behaviourLogProbs)
        }
        #expect(throws: WireError.dtypeMismatch(field: "terminated", expected: .bool, actual: .float32)) {
            try TrajectoryBatch(
                experimentID: "", actorID: "", policyVersion: 0, steps: 3, envs: 2, observations: [:], actions: [:],
                rewards: batch.rewards, terminated: batch.rewards, truncated: batch.truncated,
                behaviourLogProbs: batch.behaviourLogProbs)
        }
    }

    @Test("A decoded TrajectoryBatch whose steps disagree with its tensors is refused")
    func decodedTrajectoryShapes() throws {
        var frame = try Fixtures.bytes(of: .trajectoryBatch(Fixtures.trajectoryBatch(steps: 3, envs: 2)))
        // "steps" is written as the fixstr key followed by the positive fixint 3; make it 5.
        let key = Array("steps".utf8)
        let keyStart = try #require(frame.indices.first { frame[$0...].starts(with: [0xa5] + key) })
        let valueIndex = keyStart + 1 + key.count
        #expect(frame[valueIndex] == 3)
        frame[valueIndex] = 5
        #expect(throws: WireError.self) { try Fixtures.decode(frame) }
        do {
            _ = try Fixtures.decode(frame)
        } catch {
            guard case .shapeMismatch = error else {
                Issue.record("expected a shape mismatch, got \(error)")
                return
            }
        }
    }
}
