import MazeZMQ

/// How the learner's three sockets are protected.
///
/// CURVE is the default everywhere; plaintext needs the explicit `insecure` choice and is refused unless the
/// endpoints are reachable only from this machine.
public enum ServerSecurity: Sendable {
    /// Plaintext; allowed on loopback and ipc:// only.
    case insecure
    /// CURVE with the learner's key pair; only clients whose public key is in `allowedClientKeys` get in.
    case curve(serverKeys: CurveKeyPair, allowedClientKeys: Set<String>)

    /// Refuses plaintext on endpoints other machines can reach.
    public func validate(for endpoints: ServiceEndpoints) throws(SecurityError) {
        if case .insecure = self, !endpoints.isLoopback {
            throw .insecureOnNetwork(endpoints.control)
        }
    }

    func configure(_ socket: ZMQSocket) throws {
        if case .curve(let keys, _) = self { try socket.configureCurveServer(keyPair: keys) }
    }
}

/// How an actor or client protects its connections to the learner.
public enum ClientSecurity: Sendable {
    case insecure
    /// CURVE with this party's key pair, talking only to the learner holding `serverPublicKey`'s secret.
    case curve(clientKeys: CurveKeyPair, serverPublicKey: String)

    /// Refuses plaintext on endpoints other machines can reach.
    public func validate(for endpoints: ServiceEndpoints) throws(SecurityError) {
        if case .insecure = self, !endpoints.isLoopback {
            throw .insecureOnNetwork(endpoints.control)
        }
    }

    /// The fingerprint this party announces in `Register` (empty when insecure).
    var fingerprint: String {
        if case .curve(let keys, _) = self { return keyFingerprint(keys.publicKey) }
        return ""
    }

    func configure(_ socket: ZMQSocket) throws {
        if case .curve(let keys, let server) = self {
            try socket.configureCurveClient(keyPair: keys, serverPublicKey: server)
        }
    }
}

/// A refused security setup.
public enum SecurityError: Error, Sendable, Equatable, CustomStringConvertible {
    case insecureOnNetwork(String)

    public var description: String {
        switch self {
        case .insecureOnNetwork(let endpoint):
            "refusing plaintext on \(endpoint): --insecure is only allowed on loopback (127.0.0.1, ::1) or ipc:// endpoints; generate keys with `maze keys generate` and use CURVE"
        }
    }
}
