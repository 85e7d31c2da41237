import CZMQ

/// CURVE (CurveZMQ: Curve25519 key exchange, encrypted and authenticated frames) as libzmq provides it with libsodium.
public enum Curve {
    /// Whether the linked libzmq was built with CURVE support (`zmq_has("curve")`).
    public static var isAvailable: Bool { zmq_has("curve") == 1 }

    static func requireAvailable() throws {
        guard isAvailable else { throw CurveError.unavailable }
    }

    /// The Z85 text of a 32-byte binary key, e.g. the client key a ZAP request carries.
    static func z85(ofBinaryKey key: some Collection<UInt8>) -> String? {
        let binary = Array(key)
        guard binary.count == binaryKeyLength else { return nil }
        var text = [CChar](repeating: 0, count: z85KeyLength + 1)
        guard zmq_z85_encode(&text, binary, binary.count) != nil else { return nil }
        return keyText(fromZ85Buffer: text)
    }

    /// The key text libzmq wrote into a buffer of 40 Z85 characters and a NUL.
    static func keyText(fromZ85Buffer buffer: [CChar]) -> String {
        String(decoding: buffer.prefix(z85KeyLength).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `key` as libzmq's option value (40 Z85 characters and a terminating NUL), or `invalidKey`.
    static func optionValue(ofZ85Key key: String, role: String) throws -> [UInt8] {
        let characters = Array(key.utf8)
        var binary = [UInt8](repeating: 0, count: binaryKeyLength)
        guard characters.count == z85KeyLength else {
            throw CurveError.invalidKey("\(role) must be 40 Z85 characters, got \(characters.count)")
        }
        guard zmq_z85_decode(&binary, key) != nil else {
            throw CurveError.invalidKey("\(role) contains characters outside the Z85 alphabet")
        }
        return characters + [0]
    }

    static let binaryKeyLength = 32
    static let z85KeyLength = 40
}

/// Why a CURVE setup was refused.
enum CurveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// CURVE was requested but libzmq was built without it (no libsodium).
    case unavailable
    /// A key is not 40 characters of Z85 text.
    case invalidKey(String)

    public var description: String {
        switch self {
        case .unavailable:
            "CURVE encryption was requested but this libzmq was built without CURVE support (zmq_has(\"curve\") is false)"
        case .invalidKey(let reason):
            "invalid CURVE key: \(reason)"
        }
    }
}

/// A CURVE key pair as Z85 text (40 characters each), the form config files and `maze keys` use.
public struct CurveKeyPair: Sendable, Equatable {
    public let publicKey: String
    /// Keep secret: whoever holds it can impersonate this party.
    public let secretKey: String

    /// Generates a fresh key pair from libsodium's random source.
    public static func generate() throws -> CurveKeyPair {
        try Curve.requireAvailable()
        var publicKey = [CChar](repeating: 0, count: Curve.z85KeyLength + 1)
        var secretKey = [CChar](repeating: 0, count: Curve.z85KeyLength + 1)
        guard zmq_curve_keypair(&publicKey, &secretKey) == 0 else { throw ZMQError.last("zmq_curve_keypair") }
        return CurveKeyPair(
            publicKey: Curve.keyText(fromZ85Buffer: publicKey), secretKey: Curve.keyText(fromZ85Buffer: secretKey)
        )
    }

    /// The key pair whose secret key is `secretKey`, deriving the public key (`zmq_curve_public`).
    public init(secretKey: String) throws {
        try Curve.requireAvailable()
        let secret = try Curve.optionValue(ofZ85Key: secretKey, role: "secret key")
        var publicKey = [CChar](repeating: 0, count: Curve.z85KeyLength + 1)
        let result = secret.withUnsafeBufferPointer { secretText in
            secretText.withMemoryRebound(to: CChar.self) { zmq_curve_public(&publicKey, $0.baseAddress) }
        }
        guard result == 0 else { throw ZMQError.last("zmq_curve_public") }
        self.init(publicKey: Curve.keyText(fromZ85Buffer: publicKey), secretKey: secretKey)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}

extension ZMQSocket {
    /// Makes this socket a CURVE server with `keyPair`: every connection is encrypted, and clients
    /// must know `keyPair.publicKey`. Call before `bind`; admit clients with a `ZAPAuthenticator`.
    public func configureCurveServer(keyPair: CurveKeyPair) throws {
        try Curve.requireAvailable()
        let secret = try Curve.optionValue(ofZ85Key: keyPair.secretKey, role: "server secret key")
        try set(.curveServer, true)
        try setRawOption(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY", secret)
    }

    /// Makes this socket a CURVE client that only talks to the server holding `serverPublicKey`'s secret.
    /// Call before `connect`.
    public func configureCurveClient(keyPair: CurveKeyPair, serverPublicKey: String) throws {
        try Curve.requireAvailable()
        let server = try Curve.optionValue(ofZ85Key: serverPublicKey, role: "server public key")
        let publicKey = try Curve.optionValue(ofZ85Key: keyPair.publicKey, role: "client public key")
        let secretKey = try Curve.optionValue(ofZ85Key: keyPair.secretKey, role: "client secret key")
        try setRawOption(ZMQ_CURVE_SERVERKEY, "ZMQ_CURVE_SERVERKEY", server)
        try setRawOption(ZMQ_CURVE_PUBLICKEY, "ZMQ_CURVE_PUBLICKEY", publicKey)
        try setRawOption(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY", secretKey)
    }
}
