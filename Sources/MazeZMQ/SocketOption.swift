import CZMQ

/// A typed libzmq socket option: its C code and how its Swift value maps to the C value.
///
/// Options are used as `try socket.set(.receiveHighWaterMark, 100)` and
/// `try socket.get(.linger)`; the named options live in `SocketOption+Catalog.swift`.
/// Where libzmq uses `-1` as "infinite", "unlimited" or "system default", the Swift value is `nil`.
public struct SocketOption<Value>: Sendable {
    /// The libzmq option code, e.g. `ZMQ_SNDHWM`.
    let code: Int32
    /// The libzmq name, for error messages.
    let name: String
    let representation: RawOptionRepresentation
    /// Converts a Swift value to the C value, or `nil` if libzmq cannot represent it.
    let encode: @Sendable (Value) -> RawOptionValue?
    let decode: @Sendable (RawOptionValue) -> Value

    init(
        _ code: Int32, _ name: String, _ representation: RawOptionRepresentation,
        encode: @escaping @Sendable (Value) -> RawOptionValue?,
        decode: @escaping @Sendable (RawOptionValue) -> Value
    ) {
        self.code = code
        self.name = name
        self.representation = representation
        self.encode = encode
        self.decode = decode
    }
}

/// The C type libzmq uses for an option's value.
enum RawOptionRepresentation: Sendable {
    case int32
    case int64
    /// A byte string of at most this many bytes.
    case bytes(capacity: Int)
}

/// An option's value as libzmq reads and writes it.
enum RawOptionValue: Sendable {
    case int32(Int32)
    case int64(Int64)
    case bytes([UInt8])

    var int32: Int32 {
        switch self {
        case .int32(let value): value
        case .int64(let value): Int32(clamping: value)
        case .bytes: 0
        }
    }

    var int64: Int64 {
        switch self {
        case .int32(let value): Int64(value)
        case .int64(let value): value
        case .bytes: 0
        }
    }

    var bytes: [UInt8] {
        if case .bytes(let value) = self { return value }
        return []
    }
}

// MARK: - Builders for the common shapes of libzmq options

extension SocketOption where Value == Int {
    /// A non-negative `int`.
    static func int(_ code: Int32, _ name: String) -> Self {
        Self(
            code, name, .int32,
            encode: { value in
                value >= 0 ? Int32(exactly: value).map(RawOptionValue.int32) : nil
            }, decode: { Int($0.int32) })
    }
}

extension SocketOption where Value == Int? {
    /// A non-negative `int` where `-1` means "system default".
    static func optionalInt(_ code: Int32, _ name: String) -> Self {
        Self(
            code, name, .int32,
            encode: { value in
                guard let value else { return .int32(-1) }
                return value >= 0 ? Int32(exactly: value).map(RawOptionValue.int32) : nil
            }, decode: { $0.int32 < 0 ? nil : Int($0.int32) })
    }

    /// A non-negative `int64_t` where `-1` means "unlimited".
    static func optionalInt64(_ code: Int32, _ name: String) -> Self {
        Self(
            code, name, .int64,
            encode: { value in
                guard let value else { return .int64(-1) }
                return value >= 0 ? .int64(Int64(value)) : nil
            }, decode: { $0.int64 < 0 ? nil : Int($0.int64) })
    }
}

extension SocketOption where Value == Bool {
    static func flag(_ code: Int32, _ name: String) -> Self {
        Self(code, name, .int32, encode: { .int32($0 ? 1 : 0) }, decode: { $0.int32 != 0 })
    }
}

extension SocketOption where Value == Bool? {
    /// An `int` flag where `-1` means "system default".
    static func optionalFlag(_ code: Int32, _ name: String) -> Self {
        Self(
            code, name, .int32,
            encode: { value in
                .int32(value.map { $0 ? 1 : 0 } ?? -1)
            }, decode: { $0.int32 < 0 ? nil : $0.int32 != 0 })
    }
}

extension SocketOption where Value == Duration {
    /// An `int` count of `unit`s (milliseconds for most libzmq options).
    static func duration(_ code: Int32, _ name: String, unit: Duration = .milliseconds(1)) -> Self {
        Self(
            code, name, .int32,
            encode: { value in
                DurationCoding.encode(value, unit: unit).map(RawOptionValue.int32)
            }, decode: { DurationCoding.decode($0.int32, unit: unit) })
    }
}

extension SocketOption where Value == Duration? {
    /// An `int` count of `unit`s where `-1` means "infinite" or "system default".
    static func optionalDuration(_ code: Int32, _ name: String, unit: Duration = .milliseconds(1)) -> Self {
        Self(
            code, name, .int32,
            encode: { value in
                guard let value else { return .int32(-1) }
                return DurationCoding.encode(value, unit: unit).map(RawOptionValue.int32)
            }, decode: { $0.int32 < 0 ? nil : DurationCoding.decode($0.int32, unit: unit) })
    }
}

extension SocketOption where Value == [UInt8] {
    static func bytes(_ code: Int32, _ name: String, capacity: Int) -> Self {
        Self(
            code, name, .bytes(capacity: capacity),
            encode: { value in
                value.count <= capacity ? .bytes(value) : nil
            }, decode: { $0.bytes })
    }
}

/// Converts between `Duration` and libzmq's integer counts of milliseconds or seconds.
enum DurationCoding {
    /// The whole number of `unit`s in `value`, rounded up so that a short positive duration never becomes 0;
    /// `nil` if negative or too large for a C `int`.
    static func encode(_ value: Duration, unit: Duration) -> Int32? {
        guard value >= .zero else { return nil }
        let units = (value / unit).rounded(.up)
        guard units <= Double(Int32.max) else { return nil }
        return Int32(units)
    }

    static func decode(_ count: Int32, unit: Duration) -> Duration {
        unit * Int(count)
    }
}
