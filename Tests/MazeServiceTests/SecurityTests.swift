import Foundation
import MazeTestSupport
import MazeZMQ
import Testing

@testable import MazeService

@Suite("Keys and transport security")
struct SecurityTests {
    @Test("Generated key files: public and secret files, the secret with mode 0600, reloadable, never overwritten")
    func keyFiles() throws {
        try #require(Curve.isAvailable)
        let directory = try TemporaryDirectory()
        let files = KeyFiles(directory: directory.url.appendingPathComponent("keys"))
        let learner = try files.generate(name: "learner")
        let actor = try files.generate(name: "actor-a")
        let attributes = try FileManager.default.attributesOfItem(atPath: files.secretKeyURL(name: "learner").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try files.keyPair(name: "learner") == learner)
        #expect(try files.publicKey(name: "actor-a") == actor.publicKey)
        #expect(try files.allowList(excluding: ["learner"]) == [actor.publicKey])
        #expect(throws: KeyFileError.exists(files.publicKeyURL(name: "actor-a").path)) {
            try files.generate(name: "actor-a")
        }
        #expect(throws: KeyFileError.invalidName("../x")) { try files.generate(name: "../x") }
    }

    @Test("Plaintext is refused on a non-loopback bind and allowed on loopback and ipc")
    func insecureRefusedOnNetwork() throws {
        let network = try ServiceEndpoints(base: "tcp://0.0.0.0:7000")
        #expect(throws: SecurityError.insecureOnNetwork("tcp://0.0.0.0:7000")) {
            try ServerSecurity.insecure.validate(for: network)
        }
        #expect(throws: SecurityError.self) {
            try ClientSecurity.insecure.validate(for: try ServiceEndpoints(base: "tcp://10.0.0.2:7000"))
        }
        try ServerSecurity.insecure.validate(for: try ServiceEndpoints(base: "tcp://127.0.0.1:7000"))
        try ServerSecurity.insecure.validate(for: try ServiceEndpoints(base: "ipc:///tmp/maze"))
    }

    @Test("A learner service refuses to start insecure on 0.0.0.0, before binding anything")
    func learnerRefusesInsecure() throws {
        let context = try ZMQContext()
        let directory = try TemporaryDirectory()
        let configuration = LearnerConfiguration(
            endpoints: try ServiceEndpoints(base: "tcp://0.0.0.0:7000"), security: .insecure,
            outputsDirectory: directory.url)
        #expect(throws: SecurityError.self) {
            _ = try LearnerService(configuration: configuration, context: context) { _ in try CountingAlgorithm() }
        }
    }
}
