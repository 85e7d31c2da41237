import ArgumentParser
import Foundation
import MazeService

/// `maze keys …`: CURVE key management for the learner, actors and clients.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the CURVE key pairs that secure learner, actor and client connections.",
        subcommands: [GenerateKeys.self]
    )
}

/// `maze keys generate --dir keys/ --name actor-host-a`: writes `NAME.key` (public) and `NAME.key_secret` (0600).
struct GenerateKeys: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a CURVE key pair as NAME.key (public) and NAME.key_secret (secret, mode 0600).",
        discussion: """
            Name the learner's pair `learner`, actors `actor-…` and clients `client-…`. Copy every actor's and \
            client's NAME.key into the learner's keys folder (its allow-list) and learner.key to each actor \
            and client. Never copy a .key_secret file off its machine. Give every key but the learner's a \
            --role: the learner refuses what the role does not permit (an actor key cannot submit or cancel).
            """
    )

    @Option(help: "The keys folder (created if missing).")
    var dir: String = "keys"

    @Option(help: "The key pair's name: learner, actor-NAME or client-NAME.")
    var name: String

    @Option(
        help: ArgumentHelp(
            "The key's rights at the learner, written into NAME.key: actor (register, send batches), submitter (submit "
                + "experiments) or operator (also cancel). Not for the learner's own pair.", valueName: "role"))
    var role: KeyRole?

    func validate() throws {
        if name == "learner", role != nil { throw ValidationError("the learner's own key pair has no --role") }
    }

    func run() throws {
        let files = KeyFiles(directory: URL(fileURLWithPath: dir))
        let keyPair = try files.generate(name: name, role: role)
        print("public key \(keyPair.publicKey) (fingerprint \(keyFingerprint(keyPair.publicKey)))")
        print(
            "wrote \(files.publicKeyURL(name: name).path)" + (role.map { " (role \($0.rawValue))" } ?? "")
                + " and \(files.secretKeyURL(name: name).path) (mode 0600)")
    }
}

extension KeyRole: ExpressibleByArgument {}
