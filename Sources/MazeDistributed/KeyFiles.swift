import Foundation
import MazeZMQ

/// CURVE key pairs stored as files in a keys folder, the form `maze keys generate` writes.
///
/// `NAME.key` holds the Z85 public key and may be shared; `NAME.key_secret` holds the Z85 secret key and is
/// created with mode 0600. A folder of `.key` files is an allow-list: the learner admits exactly those keys.
public struct KeyFiles: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func publicKeyURL(name: String) -> URL { directory.appendingPathComponent(name + ".key") }
    public func secretKeyURL(name: String) -> URL { directory.appendingPathComponent(name + ".key_secret") }

    /// Generates a key pair for `name` and writes both files; refuses to overwrite existing ones.
    @discardableResult
    public func generate(name: String) throws -> CurveKeyPair {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".") else {
            throw KeyFileError.invalidName(name)
        }
        let keyPair = try CurveKeyPair.generate()
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        for url in [publicKeyURL(name: name), secretKeyURL(name: name)] where manager.fileExists(atPath: url.path) {
            throw KeyFileError.exists(url.path)
        }
        // The secret file is created with its final mode, so the key is never readable by others.
        guard manager.createFile(
            atPath: secretKeyURL(name: name).path, contents: Data((keyPair.secretKey + "\n").utf8),
            attributes: [.posixPermissions: 0o600])
        else { throw KeyFileError.unwritable(secretKeyURL(name: name).path) }
        try Data((keyPair.publicKey + "\n").utf8).write(to: publicKeyURL(name: name))
        return keyPair
    }

    /// The key pair of `name`, read from its secret file (the public key is derived from the secret).
    public func keyPair(name: String) throws -> CurveKeyPair {
        try CurveKeyPair(secretKey: try Self.readKey(at: secretKeyURL(name: name)))
    }

    /// The public key of `name`.
    public func publicKey(name: String) throws -> String {
        try Self.readKey(at: publicKeyURL(name: name))
    }

    /// Every public key in the folder (`*.key`), optionally without the ones named in `excluding`.
    public func allowList(excluding names: Set<String> = []) throws -> Set<String> {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var keys = Set<String>()
        for file in files where file.hasSuffix(".key") && !names.contains(String(file.dropLast(4))) {
            keys.insert(try Self.readKey(at: directory.appendingPathComponent(file)))
        }
        return keys
    }

    private static func readKey(at url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw KeyFileError.unreadable(url.path) }
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard key.utf8.count == 40 else { throw KeyFileError.malformed(url.path) }
        return key
    }
}

/// A short, stable fingerprint of a Z85 public key for logs and `Register`, e.g. `Ab3d…x9Yz`.
public func keyFingerprint(_ publicKey: String) -> String {
    guard publicKey.count > 8 else { return publicKey }
    return "\(publicKey.prefix(4))…\(publicKey.suffix(4))"
}

/// Why a key file could not be written or read.
public enum KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String)
    case exists(String)
    case unwritable(String)
    case unreadable(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .invalidName(let name): "invalid key name '\(name)': use letters, digits, '-', '_' and '.'"
        case .exists(let path): "\(path) already exists; remove it first to replace the key"
        case .unwritable(let path): "could not create \(path)"
        case .unreadable(let path): "could not read key file \(path)"
        case .malformed(let path): "\(path) does not hold a 40-character Z85 key"
        }
    }
}
