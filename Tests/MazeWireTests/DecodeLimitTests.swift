import MazeWire
import Testing

@Suite("Decoding untrusted frames stays within DecodeLimits")
struct DecodeLimitTests {
    @Test("A frame over the size limit is refused before it is parsed")
    func oversized() throws {
        let frame = try Fixtures.bytes(of: .policyUpdate(Fixtures.policyUpdate()))
        let limits = DecodeLimits(maxFrameBytes: frame.count - 1)
        #expect(throws: WireError.oversized(bytes: frame.count, limit: frame.count - 1)) {
            try Fixtures.decode(frame, limits: limits)
        }
        // Garbage is reported as oversized too: the size check comes before any byte is read.
        let garbage = [UInt8](repeating: 0xc1, count: 101)
        #expect(throws: WireError.oversized(bytes: 101, limit: 100)) {
            try Fixtures.decode(garbage, limits: DecodeLimits(maxFrameBytes: 100))
        }
    }

    @Test("An array header claiming 2^32-1 elements in a 10-byte frame is refused without allocating")
    func hugeCountInTinyFrame() {
        let frame: [UInt8] = [0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0]
        #expect(
            throws: WireError.tooManyElements(count: 0xffff_ffff, limit: DecodeLimits.standard.maxContainerElements)
        ) {
            try Fixtures.decode(frame)
        }
        // Even with the element limits lifted, the count cannot fit the 5 remaining bytes.
        let lifted = DecodeLimits(maxContainerElements: .max, maxTotalElements: .max)
        #expect(throws: WireError.truncated(offset: 5)) { try Fixtures.decode(frame, limits: lifted) }
        let map: [UInt8] = [0xdf, 0xff, 0xff, 0xff, 0xff, 0xc0, 0xc0, 0xc0, 0xc0, 0xc0]
        #expect(throws: WireError.truncated(offset: 5)) { try Fixtures.decode(map, limits: lifted) }
    }

    @Test("Depth bombs of arrays and maps are refused", arguments: [UInt8(0x91), UInt8(0x81)])
    func depthBomb(marker: UInt8) {
        // 0x91 = array of one element; 0x81 = map of one entry whose key is nil (0xc0) and value the next map.
        let unit: [UInt8] = marker == 0x91 ? [0x91] : [0x81, 0xc0]
        let bomb = Array([[UInt8]](repeating: unit, count: 100_000).joined()) + [0xc0]
        #expect(throws: WireError.tooDeep(limit: 16)) { try Fixtures.decode(bomb) }
        #expect(throws: WireError.tooDeep(limit: 32)) {
            try Fixtures.decode(bomb, limits: DecodeLimits(maxDepth: 1_000_000))
        }
    }

    @Test("msgpack-c parses the deepest nesting the limits allow")
    func deepestAllowedNesting() {
        let deepest = [UInt8](repeating: 0x91, count: DecodeLimits.parserStackDepth) + [0xc0]
        // It gets past both the scan and msgpack-c, and fails only because a message must be a map.
        #expect(throws: WireError.wrongType(field: "message", expected: "a map")) {
            try Fixtures.decode(deepest, limits: DecodeLimits(maxDepth: DecodeLimits.parserStackDepth))
        }
    }

    @Test("Total element and string length limits are enforced")
    func elementAndStringLimits() {
        let manyNils = RawMsgPack.array([RawMsgPack](repeating: .null, count: 300)).bytes
        #expect(throws: WireError.tooManyElements(count: 300, limit: 256)) {
            try Fixtures.decode(manyNils, limits: DecodeLimits(maxContainerElements: 256))
        }
        #expect(throws: WireError.tooManyElements(count: 300, limit: 100)) {
            try Fixtures.decode(manyNils, limits: DecodeLimits(maxTotalElements: 100))
        }
        let longString = RawMsgPack.object(["v": .uint(1), "type": .string(String(repeating: "x", count: 5000))]).bytes
        #expect(throws: WireError.stringTooLong(bytes: 5000, limit: 4096)) {
            try Fixtures.decode(longString, limits: DecodeLimits(maxStringBytes: 4096))
        }
    }

    @Test("Tensors over the element or byte limit are refused before their data is copied")
    func tensorLimits() throws {
        let update = PolicyUpdate(
            experimentID: "", version: 1,
            weights: ["w": try WireTensor(shape: [10, 10], values: [Float](repeating: 1, count: 100))])
        let frame = try Fixtures.bytes(of: .policyUpdate(update))
        let tooLarge = WireError.tensorTooLarge(field: "weights.w", shape: [10, 10], maxElements: 99, maxBytes: 400)
        #expect(throws: tooLarge) {
            try Fixtures.decode(frame, limits: DecodeLimits(maxTensorElements: 99, maxTensorBytes: 400))
        }
        let byBytes = WireError.tensorTooLarge(field: "weights.w", shape: [10, 10], maxElements: 100, maxBytes: 399)
        #expect(throws: byBytes) {
            try Fixtures.decode(frame, limits: DecodeLimits(maxTensorElements: 100, maxTensorBytes: 399))
        }
        #expect(
            try Fixtures.decode(frame, limits: DecodeLimits(maxTensorElements: 100, maxTensorBytes: 400))
                == .policyUpdate(update))
    }

    @Test("Empty, truncated, trailing and reserved bytes are malformed frames")
    func malformedBytes() throws {
        #expect(throws: WireError.truncated(offset: 0)) { try Fixtures.decode([]) }
        let frame = try Fixtures.bytes(of: .policyUpdate(Fixtures.policyUpdate()))
        #expect(throws: WireError.self) { try Fixtures.decode(Array(frame.dropLast())) }
        #expect(throws: WireError.malformed("1 trailing bytes after the message at offset \(frame.count)")) {
            try Fixtures.decode(frame + [0xc0])
        }
        #expect(throws: WireError.malformed("reserved byte 0xc1 at offset 1")) { try Fixtures.decode([0x91, 0xc1]) }
    }
}
