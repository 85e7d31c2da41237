/// Walks an untrusted msgpack frame without allocating per element and refuses it unless it is one complete
/// value within `DecodeLimits`.
///
/// This runs before msgpack-c's unpacker, which trusts header counts: it would allocate room for 2³²−1
/// elements on the word of a five-byte header, and aborts only when the bytes run out. After the scan,
/// every container's elements fit in the remaining bytes (each value takes at least one byte), so
/// msgpack-c's allocations are bounded by a small multiple of the frame size and of `maxTotalElements`.
struct FrameScanner {
    let limits: DecodeLimits

    /// Checks `frame` and returns normally only if msgpack-c may parse it.
    func scan(_ frame: UnsafeRawBufferPointer) throws(WireError) {
        guard frame.count <= limits.maxFrameBytes else {
            throw .oversized(bytes: frame.count, limit: limits.maxFrameBytes)
        }
        var cursor = Cursor(frame: frame)
        // Values still to read in each open container, on the stack (the depth is bounded), so that a steady receiver
        // allocates nothing here; the bottom entry stands for the single top-level value.
        let capacity = limits.effectiveMaxDepth + 1
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: capacity) { remainingPerLevel throws(WireError) in
            try walk(&cursor, remainingPerLevel: remainingPerLevel)
        }
        guard cursor.remaining == 0 else {
            throw .malformed("\(cursor.remaining) trailing bytes after the message at offset \(cursor.offset)")
        }
    }

    /// Reads the value at `cursor` and everything it contains, keeping the values still to read in each open container
    /// in `remainingPerLevel` (room for `effectiveMaxDepth + 1` levels).
    private func walk(_ cursor: inout Cursor, remainingPerLevel: UnsafeMutableBufferPointer<Int>) throws(WireError) {
        remainingPerLevel[0] = 1
        var depth = 1
        // Values announced by open containers but not yet read; each needs at least one byte.
        var pendingValues = 1
        var totalValues = 0
        while depth > 0 {
            let remaining = remainingPerLevel[depth - 1]
            guard remaining > 0 else {
                depth -= 1
                continue
            }
            remainingPerLevel[depth - 1] = remaining - 1
            pendingValues -= 1
            let children = try skipValue(&cursor)
            guard children > 0 else { continue }
            guard depth <= limits.effectiveMaxDepth else { throw .tooDeep(limit: limits.effectiveMaxDepth) }
            totalValues += children
            guard totalValues <= limits.maxTotalElements else {
                throw .tooManyElements(count: totalValues, limit: limits.maxTotalElements)
            }
            pendingValues += children
            guard pendingValues <= cursor.remaining else { throw .truncated(offset: cursor.offset) }
            remainingPerLevel[depth] = children
            depth += 1
        }
    }

    /// Reads one value's header, skips its payload, and returns how many child values follow it
    /// (array elements, or keys plus values of a map); zero for scalars.
    private func skipValue(_ cursor: inout Cursor) throws(WireError) -> Int {
        let start = cursor.offset
        let marker = try cursor.readByte()
        switch marker {
        case 0x00...0x7f, 0xe0...0xff, 0xc0, 0xc2, 0xc3:  // fixint, nil, false, true
            return 0
        case 0x80...0x8f:
            return try mapChildren(Int(marker & 0x0f))
        case 0x90...0x9f:
            return try arrayChildren(Int(marker & 0x0f))
        case 0xa0...0xbf:
            try skipString(length: Int(marker & 0x1f), &cursor)
        case 0xd9, 0xda, 0xdb:
            try skipString(length: try cursor.readLength(bytes: 1 << Int(marker - 0xd9)), &cursor)
        case 0xc4, 0xc5, 0xc6:  // bin 8/16/32
            try cursor.skip(try cursor.readLength(bytes: 1 << Int(marker - 0xc4)))
        case 0xc7, 0xc8, 0xc9:  // ext 8/16/32: length, type byte, payload
            let length = try cursor.readLength(bytes: 1 << Int(marker - 0xc7))
            try cursor.skip(1 + length)
        case 0xca: try cursor.skip(4)  // float 32
        case 0xcb: try cursor.skip(8)  // float 64
        case 0xcc...0xcf: try cursor.skip(1 << Int(marker - 0xcc))  // uint 8/16/32/64
        case 0xd0...0xd3: try cursor.skip(1 << Int(marker - 0xd0))  // int 8/16/32/64
        case 0xd4...0xd8: try cursor.skip(1 + (1 << Int(marker - 0xd4)))  // fixext 1/2/4/8/16
        case 0xdc, 0xdd:
            return try arrayChildren(try cursor.readLength(bytes: marker == 0xdc ? 2 : 4))
        case 0xde, 0xdf:
            return try mapChildren(try cursor.readLength(bytes: marker == 0xde ? 2 : 4))
        default:  // 0xc1 is the only byte msgpack leaves unused
            throw .malformed("reserved byte 0x\(String(marker, radix: 16)) at offset \(start)")
        }
        return 0
    }

    private func arrayChildren(_ count: Int) throws(WireError) -> Int {
        guard count <= limits.maxContainerElements else {
            throw .tooManyElements(count: count, limit: limits.maxContainerElements)
        }
        return count
    }

    private func mapChildren(_ entries: Int) throws(WireError) -> Int {
        try arrayChildren(entries) * 2
    }

    private func skipString(length: Int, _ cursor: inout Cursor) throws(WireError) {
        guard length <= limits.maxStringBytes else {
            throw .stringTooLong(bytes: length, limit: limits.maxStringBytes)
        }
        try cursor.skip(length)
    }
}

/// A bounds-checked read position in a frame.
private struct Cursor {
    let frame: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(frame: UnsafeRawBufferPointer) {
        self.frame = frame
    }

    var remaining: Int { frame.count - offset }

    mutating func readByte() throws(WireError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(offset: offset) }
        defer { offset += 1 }
        return frame[offset]
    }

    /// Reads a big-endian unsigned length of 1, 2 or 4 bytes, as msgpack headers store them.
    mutating func readLength(bytes width: Int) throws(WireError) -> Int {
        guard remaining >= width else { throw .truncated(offset: offset) }
        var length = 0
        for index in offset..<offset + width {
            length = length << 8 | Int(frame[index])
        }
        offset += width
        return length
    }

    mutating func skip(_ count: Int) throws(WireError) {
        guard count <= remaining else { throw .truncated(offset: offset) }
        offset += count
    }
}
