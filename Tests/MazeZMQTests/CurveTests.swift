import Foundation
import Testing

@testable import MazeZMQ

@Suite("CURVE security", .enabled(if: Curve.isAvailable, "libzmq was built without CURVE"))
struct CurveTests {
    /// A CURVE PULL server bound on loopback, and the endpoint to connect to.
    private static func makeServer(_ context: ZMQContext, keys: CurveKeyPair) throws -> (ZMQSocket, String) {
        let server = try ZMQSocket(.pull, in: context)
        try server.configureCurveServer(keyPair: keys)
        return (server, try server.bindResolved(TestEndpoint.anyLoopbackPort))
    }

    private static func makeClient(
        _ context: ZMQContext, keys: CurveKeyPair, serverKey: String, endpoint: String
    ) throws -> ZMQSocket {
        let client = try ZMQSocket(.push, in: context)
        try client.configureCurveClient(keyPair: keys, serverPublicKey: serverKey)
        try client.connect(endpoint)
        return client
    }

    @Test("Generated key pairs are 40-character Z85 text and the public key derives from the secret one")
    func keyPairs() throws {
        let keys = try CurveKeyPair.generate()
        #expect(keys.publicKey.utf8.count == 40 && keys.secretKey.utf8.count == 40)
        #expect(try CurveKeyPair.generate() != keys)
        #expect(try CurveKeyPair(secretKey: keys.secretKey) == keys)
        #expect(throws: CurveError.invalidKey("secret key must be 40 Z85 characters, got 9")) {
            try CurveKeyPair(secretKey: "too short")
        }
        let socket = try ZMQSocket(.push, in: try ZMQContext())
        #expect(throws: CurveError.invalidKey("server public key contains characters outside the Z85 alphabet")) {
            try socket.configureCurveClient(keyPair: keys, serverPublicKey: String(repeating: "~", count: 40))
        }
    }

    @Test("An encrypted round trip between CURVE server and client")
    func encryptedRoundTrip() throws {
        let context = try ZMQContext()
        let serverKeys = try CurveKeyPair.generate()
        let (server, endpoint) = try Self.makeServer(context, keys: serverKeys)
        #expect(try server.get(.curveServer))
        let client = try Self.makeClient(
            context, keys: try CurveKeyPair.generate(), serverKey: serverKeys.publicKey, endpoint: endpoint
        )
        try client.send(text: "trajectory")
        #expect(try server.receiveText() == "trajectory")
    }

    @Test("A client holding the wrong server key gets nothing through")
    func wrongServerKey() throws {
        let context = try ZMQContext()
        let (server, endpoint) = try Self.makeServer(context, keys: try CurveKeyPair.generate())
        let client = try Self.makeClient(
            context, keys: try CurveKeyPair.generate(),
            serverKey: try CurveKeyPair.generate().publicKey, endpoint: endpoint
        )
        try client.send(text: "forged")
        #expect(try server.receive(.timeout(.milliseconds(200))) == nil)
    }

    @Test("The ZAP authenticator admits allow-listed clients, counts the refused ones and learns new keys")
    func zapAllowList() throws {
        let context = try ZMQContext()
        let trusted = try CurveKeyPair.generate()
        let authenticator = try ZAPAuthenticator(context: context, allowedClientKeys: [trusted.publicKey])
        defer { authenticator.stop() }
        let serverKeys = try CurveKeyPair.generate()
        let (server, endpoint) = try Self.makeServer(context, keys: serverKeys)

        let strangerKeys = try CurveKeyPair.generate()
        let stranger = try Self.makeClient(
            context, keys: strangerKeys, serverKey: serverKeys.publicKey, endpoint: endpoint
        )
        try stranger.send(text: "from stranger")
        let friend = try Self.makeClient(context, keys: trusted, serverKey: serverKeys.publicKey, endpoint: endpoint)
        try friend.send(text: "from friend")

        #expect(try server.receiveText() == "from friend")
        // The stranger's handshake may still be on its way: wait (boundedly) for its refusal.
        for _ in 0..<500 where authenticator.refusals == 0 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(authenticator.refusals == 1)
        #expect(authenticator.admissions == 1)
        #expect(try server.receive(.timeout(.milliseconds(50))) == nil)

        // libzmq does not retry a refused handshake; once allowed, a new connection with the key gets through.
        authenticator.allow(strangerKeys.publicKey)
        let admitted = try Self.makeClient(
            context, keys: strangerKeys, serverKey: serverKeys.publicKey, endpoint: endpoint)
        try admitted.send(text: "now allowed")
        #expect(try server.receiveText() == "now allowed")
        #expect(authenticator.admissions == 2)
    }

    @Test("A second authenticator in the same context is refused with EADDRINUSE; stopping is idempotent")
    func oneAuthenticatorPerContext() throws {
        let context = try ZMQContext()
        let first = try ZAPAuthenticator(context: context, allowedClientKeys: [])
        let error = try #require(throws: ZMQError.self) {
            try ZAPAuthenticator(context: context, allowedClientKeys: [])
        }
        #expect(error.code == EADDRINUSE)
        first.stop()
        first.stop()
        let replacement = try ZAPAuthenticator(context: context, allowedClientKeys: [])
        #expect(replacement.refusals == 0)
    }
}
