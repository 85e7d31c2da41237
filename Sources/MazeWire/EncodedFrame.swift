#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One encoded message in a `malloc`'d buffer that it owns and frees.
///
/// The frame is non-copyable so the buffer has exactly one owner: read it in place with `withUnsafeBytes`, or
/// hand it to a transport without copying with `releaseBuffer()` (libzmq's `zmq_msg_init_data` with `free`
/// as the deallocator).
public struct EncodedFrame: ~Copyable {
    private let base: UnsafeMutableRawPointer
    /// The number of bytes in the frame.
    public let count: Int

    /// Takes ownership of `count` bytes at `base`, which must come from `malloc` (or `realloc`).
    init(takingOwnershipOf base: UnsafeMutableRawPointer, count: Int) {
        self.base = base
        self.count = count
    }

    deinit {
        free(base)
    }

    /// Calls `body` with the frame's bytes, valid only during the call.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Gives up the buffer without freeing it: the caller now owns it and must release it with `free()`.
    public consuming func releaseBuffer() -> (base: UnsafeMutableRawPointer, count: Int) {
        let buffer = (base: base, count: count)
        discard self
        return buffer
    }
}

// The frame is the only reference to its buffer and never mutates it, so moving it across threads is safe.
extension EncodedFrame: @unchecked Sendable {}
