import ArgumentParser
import Foundation
import MazeService
import MazeZMQ

/// How an actor or a client (`maze submit`, `status`, `cancel`) secures its connection to the learner.
struct ClientConnectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Keys folder holding learner.key and this party's NAME.key_secret (see `maze keys generate`).",
            valueName: "dir"))
    var keys: String?

    @Option(help: "Which key pair in --keys to use; by default the folder's only secret key other than the learner's.")
    var keyName: String?

    @Flag(help: "Connect in plaintext (only to loopback or ipc:// learners).")
    var insecure = false

    /// CURVE with the folder's keys, or plaintext when `--insecure` was given; exactly one must be.
    func security() throws -> ClientSecurity {
        switch (keys, insecure) {
        case (nil, true): return .insecure
        case (let directory?, false):
            let files = KeyFiles(directory: URL(fileURLWithPath: directory))
            let name = try keyName ?? Self.onlyClientKey(in: files.directory)
            return .curve(
                clientKeys: try files.keyPair(name: name), serverPublicKey: try files.publicKey(name: "learner"))
        case (_?, true): throw ValidationError("--keys and --insecure exclude each other")
        case (nil, false):
            throw ValidationError("give --keys DIR (CURVE) or, for loopback and ipc:// learners, --insecure")
        }
    }

    /// The one `NAME.key_secret` in `directory` that is not the learner's.
    private static func onlyClientKey(in directory: URL) throws -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let candidates = names.filter { $0.hasSuffix(".key_secret") && $0 != "learner.key_secret" }
            .map { String($0.dropLast(".key_secret".count)) }
        guard candidates.count == 1, let name = candidates.first else {
            throw ValidationError(
                "\(directory.path) holds \(candidates.count) client secret keys (\(candidates.sorted().joined(separator: ", "))); "
                    + "choose one with --key-name")
        }
        return name
    }
}

/// The learner address of `maze submit`, `status`, `cancel` and `health`, and a control client for it.
struct LearnerAddressOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("The learner's base endpoint, as given to `maze learner --bind`.", valueName: "endpoint"))
    var learner = "tcp://127.0.0.1:7000"

    @Option(help: "Seconds to wait for the learner's answer.")
    var timeout: Double = 5

    @OptionGroup var connection: ClientConnectionOptions

    /// A timeout that converts to whole milliseconds: positive and at most an hour.
    func validate() throws {
        guard timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout must be more than 0 and at most 3600 seconds")
        }
    }

    /// Runs `body` with a control client connected to the learner.
    func withClient<T>(_ body: (ControlClient) throws -> T) throws -> T {
        let endpoints = try ServiceEndpoints(base: learner)
        let context = try ZMQContext()
        let client = try ControlClient(
            endpoints: endpoints, security: connection.security(), timeout: .milliseconds(Int(timeout * 1000)),
            in: context)
        return try body(client)
    }
}
