/// An independent, test-only msgpack writer, for frames the production encoder would never write
/// (wrong types, missing keys, bombs). It always uses the widest header of each family (valid msgpack that
/// the production encoder, which picks the narrowest, never produces), so both forms get decoded.
indirect enum RawMsgPack {
    case null
    case bool(Bool)
    case uint(UInt64)
    case int(Int64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([RawMsgPack])
    case map([(RawMsgPack, RawMsgPack)])

    /// A map with string keys, the common case in the protocol.
    static func object(_ entries: KeyValuePairs<String, RawMsgPack>) -> RawMsgPack {
        .map(entries.map { (.string($0.key), $0.value) })
    }

    /// A tensor map with the given parts, which need not agree.
    static func tensor(_ dtype: String, _ shape: [UInt64], _ data: [UInt8]) -> RawMsgPack {
        .object(["dtype": .string(dtype), "shape": .array(shape.map { .uint($0) }), "data": .binary(data)])
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    private func append(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(0xc0)
        case .bool(let value): out.append(value ? 0xc3 : 0xc2)
        case .uint(let value):
            if value < 0x80 {
                out.append(UInt8(value))
            } else {
                out.append(0xcf)
                Self.appendBigEndian(value, 8, &out)
            }
        case .int(let value):
            out.append(0xd3)
            Self.appendBigEndian(UInt64(bitPattern: value), 8, &out)
        case .double(let value):
            out.append(0xcb)
            Self.appendBigEndian(value.bitPattern, 8, &out)
        case .string(let value):
            out.append(0xdb)
            Self.appendBigEndian(UInt64(value.utf8.count), 4, &out)
            out += value.utf8
        case .binary(let value):
            out.append(0xc6)
            Self.appendBigEndian(UInt64(value.count), 4, &out)
            out += value
        case .array(let elements):
            out.append(0xdd)
            Self.appendBigEndian(UInt64(elements.count), 4, &out)
            for element in elements { element.append(to: &out) }
        case .map(let entries):
            out.append(0xdf)
            Self.appendBigEndian(UInt64(entries.count), 4, &out)
            for (key, value) in entries {
                key.append(to: &out)
                value.append(to: &out)
            }
        }
    }

    private static func appendBigEndian(_ value: UInt64, _ width: Int, _ out: inout [UInt8]) {
        for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }
}
