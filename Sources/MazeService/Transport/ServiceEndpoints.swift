/// The three learner endpoints derived from one base address, the same way on the bind and connect sides.
///
/// `tcp://HOST:P` gives control `P`, trajectories `P+1` and weights `P+2` on `HOST`; `ipc://DIR` gives
/// `DIR/control.ipc`, `DIR/trajectories.ipc` and `DIR/weights.ipc`. The learner binds the base it is given
/// (`tcp://0.0.0.0:7000`), actors and clients connect to theirs (`tcp://learner-host:7000`).
public struct ServiceEndpoints: Sendable, Equatable {
    /// The transport family of the base address.
    public enum Transport: Sendable, Equatable {
        case tcp(host: String, controlPort: Int)
        case ipc(directory: String)
    }

    public let transport: Transport
    /// ROUTER on the learner; DEALER on actors and clients.
    public let control: String
    /// PULL on the learner; PUSH on actors.
    public let trajectories: String
    /// PUB on the learner; SUB on actors.
    public let weights: String

    /// Derives the endpoints from `base`, e.g. `tcp://0.0.0.0:7000` or `ipc:///tmp/maze`.
    public init(base: String) throws(EndpointError) {
        if base.hasPrefix("ipc://") {
            var directory = String(base.dropFirst("ipc://".count))
            while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
            guard !directory.isEmpty else { throw .invalid(base, "ipc:// needs a directory") }
            transport = .ipc(directory: directory)
            control = "ipc://\(directory)/control.ipc"
            trajectories = "ipc://\(directory)/trajectories.ipc"
            weights = "ipc://\(directory)/weights.ipc"
        } else if base.hasPrefix("tcp://") {
            let address = base.dropFirst("tcp://".count)
            guard let colon = address.lastIndex(of: ":") else { throw .invalid(base, "tcp:// needs HOST:PORT") }
            var host = String(address[..<colon])
            // libzmq binds interfaces and addresses, not host names: localhost is its IPv4 loopback address.
            if host == "localhost" { host = "127.0.0.1" }
            guard !host.isEmpty else {
                throw .invalid(base, "tcp:// needs a host (use 0.0.0.0 to bind every interface)")
            }
            guard let port = Int(address[address.index(after: colon)...]), (1...65_533).contains(port) else {
                throw .invalid(base, "the port must be a number from 1 to 65533 (the next two ports are used too)")
            }
            transport = .tcp(host: host, controlPort: port)
            control = "tcp://\(host):\(port)"
            trajectories = "tcp://\(host):\(port + 1)"
            weights = "tcp://\(host):\(port + 2)"
        } else {
            throw .invalid(base, "expected tcp://HOST:PORT or ipc://DIRECTORY")
        }
    }

    /// Whether only this machine can reach the endpoints: `ipc://`, or TCP on a loopback address.
    var isLoopback: Bool {
        switch transport {
        case .ipc: return true
        case .tcp(let host, _):
            return host == "::1" || host == "[::1]" || Self.isIPv4Loopback(host)
        }
    }

    /// `127.x.y.z` written as four decimal octets; `127.0.0.1.attacker.example` is a host name, not loopback.
    static func isIPv4Loopback(_ host: String) -> Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            !octet.isEmpty && octet.count <= 3 && octet.allSatisfy(\.isASCII) && octet.allSatisfy(\.isNumber)
                && (Int(octet).map { $0 <= 255 } ?? false)
        }
    }
}

/// Why a base address could not be turned into endpoints.
public enum EndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let base, let reason): "invalid endpoint '\(base)': \(reason)"
        }
    }
}
