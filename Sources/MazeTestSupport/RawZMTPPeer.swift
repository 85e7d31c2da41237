import Foundation

/// A hostile ZeroMQ peer speaking ZMTP 3.0 (NULL mechanism) itself over an `ipc://` endpoint, so that it can send
/// what libzmq never would: frames of a multipart message that is never finished. (libzmq's own sockets pass a
/// message to the wire only once its last frame has been sent.)
///
/// Not thread-safe; one connection per instance.
public final class RawZMTPPeer {
    private let descriptor: Int32

    /// Connects to `endpoint` (`ipc://PATH`) and introduces itself as a socket of type `socketType` (e.g.
    /// "PUSH", "DEALER", "XSUB"), without waiting for the peer's answer.
    public init(endpoint: String, socketType: String) throws {
        guard endpoint.hasPrefix("ipc://") else { throw RawZMTPError("only ipc:// endpoints: \(endpoint)") }
        let path = Array(endpoint.dropFirst("ipc://".count).utf8)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { throw RawZMTPError("path too long: \(endpoint)") }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawZMTPError("socket: errno \(errno)") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw RawZMTPError("connect \(endpoint): errno \(code)")
        }
        // Greeting: signature, version 3.0, mechanism NULL, as-server 0, filler.
        var greeting: [UInt8] = [0xff] + [UInt8](repeating: 0, count: 8) + [0x7f, 3, 0]
        greeting += Array("NULL".utf8) + [UInt8](repeating: 0, count: 16)
        greeting += [UInt8](repeating: 0, count: 32)
        // READY command with the Socket-Type property.
        var ready: [UInt8] = [5] + Array("READY".utf8) + [11] + Array("Socket-Type".utf8)
        ready += Self.bigEndian(UInt32(socketType.utf8.count)) + Array(socketType.utf8)
        try write(greeting + [0x04, UInt8(ready.count)] + ready)
    }

    deinit {
        close(descriptor)
    }

    /// Sends one message frame; `more` announces further frames of the same message.
    public func send(_ body: [UInt8], more: Bool) throws {
        let flags: UInt8 = (more ? 0x01 : 0) | 0x02  // always the long (8-byte) size
        try write([flags] + Self.bigEndian(UInt64(body.count)) + body)
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress?.advanced(by: offset), bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw RawZMTPError("send: errno \(errno)")
            }
            offset += sent
        }
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}

/// Why a `RawZMTPPeer` could not connect or send (the learner closed the connection, for one).
public struct RawZMTPError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
