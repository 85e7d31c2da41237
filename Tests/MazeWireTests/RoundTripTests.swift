import Foundation
import MazeWire
import Testing

@Suite("Round trips through msgpack")
struct RoundTripTests {
    @Test("TrajectoryBatch with logits and episodes decodes to an equal value")
    func trajectoryBatch() throws {
        let message = WireMessage.trajectoryBatch(try Fixtures.trajectoryBatch())
        #expect(try Fixtures.decode(Fixtures.bytes(of: message)) == message)
    }

    @Test("TrajectoryBatch without logits decodes with nil logits")
    func trajectoryBatchWithoutLogits() throws {
        let batch = try Fixtures.trajectoryBatch(withLogits: false)
        let decoded = try Fixtures.decode(Fixtures.bytes(of: .trajectoryBatch(batch)))
        guard case .trajectoryBatch(let result) = decoded else {
            Issue.record("decoded \(decoded.type) instead of a TrajectoryBatch")
            return
        }
        #expect(result.behaviourLogits == nil)
        #expect(result == batch)
    }

    @Test("A recurrent policy's initial_state round-trips; one of another env count is refused")
    func trajectoryBatchWithInitialState() throws {
        let batch = try Fixtures.trajectoryBatch()
        func carrying(_ state: WireTensor) throws -> TrajectoryBatch {
            try TrajectoryBatch(
                experimentID: batch.experimentID, actorID: batch.actorID, policyVersion: batch.policyVersion,
                steps: batch.steps, envs: batch.envs, observations: batch.observations, actions: batch.actions,
                rewards: batch.rewards, terminated: batch.terminated, truncated: batch.truncated,
                behaviourLogProbs: batch.behaviourLogProbs, behaviourLogits: batch.behaviourLogits,
                episodes: batch.episodes, initialState: state)
        }
        let recurrent = try carrying(WireTensor(shape: [2, 4], values: (0..<8).map { Float($0) / 8 }))
        let decoded = try Fixtures.decode(Fixtures.bytes(of: .trajectoryBatch(recurrent)))
        #expect(decoded == .trajectoryBatch(recurrent))
        #expect(recurrent != batch)
        #expect(throws: WireError.self) {
            try carrying(WireTensor(shape: [3, 4], values: [Float](repeating: 0, count: 12)))
        }
    }

    @Test("Zero steps and empty dicts round-trip as zero-length tensors")
    func emptyBatch() throws {
        let batch = try TrajectoryBatch(
            experimentID: "",
            actorID: "",
            policyVersion: 0,
            steps: 0,
            envs: 4,
            observations: ["observation": try WireTensor(shape: [1, 4, 0], values: [Float]())],
            actions: [:],
            rewards: try WireTensor(shape: [0, 4], values: [Float]()),
            terminated: try WireTensor(shape: [0, 4], bools: []),
            truncated: try WireTensor(shape: [0, 4], bools: []),
            behaviourLogProbs: try WireTensor(shape: [0, 4], values: [Float]()),
            behaviourLogits: [:]
        )
        let decoded = try Fixtures.decode(Fixtures.bytes(of: .trajectoryBatch(batch)))
        #expect(decoded == .trajectoryBatch(batch))
    }

    @Test("PolicyUpdate round-trips, with and without the stop flag")
    func policyUpdate() throws {
        for stop in [false, true] {
            let message = WireMessage.policyUpdate(try Fixtures.policyUpdate(stop: stop))
            #expect(try Fixtures.decode(Fixtures.bytes(of: message)) == message)
        }
        let empty = WireMessage.policyUpdate(PolicyUpdate(experimentID: "e", version: 0, weights: [:]))
        #expect(try Fixtures.decode(Fixtures.bytes(of: empty)) == empty)
    }

    @Test(
        "Every dtype keeps its values, including extremes and zero-length tensors", arguments: WireTensor.DType.allCases
    )
    func everyDType(dtype: WireTensor.DType) throws {
        let tensors: [WireTensor] =
            switch dtype {
            case .float32:
                [
                    try WireTensor(
                        shape: [4], values: [-Float.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude])
                ]
            case .int32: [try WireTensor(shape: [3], values: [Int32.min, 0, Int32.max])]
            case .int64: [try WireTensor(shape: [3], values: [Int64.min, -1, Int64.max])]
            case .uint8: [try WireTensor(shape: [1, 3], values: [UInt8(0), 128, 255])]
            case .bool: [try WireTensor(shape: [2, 1], bools: [true, false])]
            }
        let zeroLength = try WireTensor(dtype: dtype, shape: [0, 5], bytes: [])
        let named = Dictionary(
            uniqueKeysWithValues: (tensors + [zeroLength]).enumerated().map { ("t\($0.offset)", $0.element) })
        let message = WireMessage.policyUpdate(PolicyUpdate(experimentID: "dtypes", version: 1, weights: named))
        let decoded = try Fixtures.decode(Fixtures.bytes(of: message))
        #expect(decoded == message)
        #expect(named.values.allSatisfy { $0.dtype == dtype })
    }

    @Test("Equal messages encode to equal bytes, whatever the dictionary order")
    func deterministicBytes() throws {
        let update = try Fixtures.policyUpdate()
        var reordered = PolicyUpdate(experimentID: update.experimentID, version: update.version, weights: [:])
        for (name, tensor) in update.weights.sorted(by: { $0.key > $1.key }) { reordered.weights[name] = tensor }
        reordered.auxiliary = update.auxiliary
        #expect(try Fixtures.bytes(of: .policyUpdate(update)) == Fixtures.bytes(of: .policyUpdate(reordered)))
    }

    @Test("A released buffer holds the frame and decodes after the frame is gone")
    func releasedBuffer() throws {
        let message = WireMessage.policyUpdate(try Fixtures.policyUpdate())
        let expected = try Fixtures.bytes(of: message)
        let (base, count) = try message.encode().releaseBuffer()
        defer { free(base) }
        let buffer = UnsafeRawBufferPointer(start: base, count: count)
        #expect([UInt8](buffer) == expected)
        #expect(try WireMessage.decode(buffer) == message)
    }

    @Test("Decoding reads an unaligned buffer in place and copies tensors out of it")
    func unalignedInPlaceDecode() throws {
        let message = WireMessage.trajectoryBatch(try Fixtures.trajectoryBatch())
        let frame = try Fixtures.bytes(of: message)
        // A received message may start at any address; put the frame one byte past an aligned allocation.
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: frame.count + 1, alignment: 16)
        defer { storage.deallocate() }
        let unaligned = UnsafeMutableRawBufferPointer(rebasing: storage[1...])
        unaligned.copyBytes(from: frame)
        let decoded = try WireMessage.decode(UnsafeRawBufferPointer(unaligned))
        #expect(decoded == message)
        // The decoded tensors own their bytes: wiping the frame afterwards leaves them intact.
        unaligned.initializeMemory(as: UInt8.self, repeating: 0)
        #expect(decoded == message)
    }

    @Test("Tensor bodies travel as one msgpack bin each")
    func tensorBodyIsOneBinary() throws {
        let values = (0..<300).map { Float($0) }
        let tensor = try WireTensor(shape: [300], values: values)
        let bytes = try Fixtures.bytes(
            of: .policyUpdate(PolicyUpdate(experimentID: "", version: 0, weights: ["w": tensor])))
        let body = tensor.bytes
        // bin 16 header (0xc5, length 1200 big-endian) directly followed by the little-endian floats.
        let header: [UInt8] = [0xc5, 0x04, 0xb0]
        let index = try #require(bytes.indices.first { bytes[$0...].starts(with: header + body) })
        #expect(index > 0)
    }
}
