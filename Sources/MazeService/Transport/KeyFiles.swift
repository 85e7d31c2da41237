import Foundation
import MazeZMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// CURVE key pairs stored as files in a keys folder, the form `maze keys generate` writes.
///
/// `NAME.key` holds the Z85 public key and may be shared, followed by a `role: actor|submitter|operator` line
/// (`KeyRole`); `NAME.key_secret` holds the Z85 secret key and is created with mode 0600. A folder of `.key`
/// files is an allow-list: the learner admits exactly those keys, each with the rights of its role.
public struct KeyFiles: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func publicKeyURL(name: String) -> URL { directory.appendingPathComponent(name + ".key") }
    public func secretKeyURL(name: String) -> URL { directory.appendingPathComponent(name + ".key_secret") }

    /// Generates a key pair for `name` and writes both files, the public one with `role` if given (the
    /// learner's own pair has none); refuses to overwrite existing ones.
    @discardableResult
    public func generate(name: String, role: KeyRole? = nil) throws -> CurveKeyPair {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.hasPrefix(".")
        else {
            throw KeyFileError.invalidName(name)
        }
        let keyPair = try CurveKeyPair.generate()
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        for url in [publicKeyURL(name: name), secretKeyURL(name: name)] where manager.fileExists(atPath: url.path) {
            throw KeyFileError.exists(url.path)
        }
        try Self.createFile(secretKeyURL(name: name), contents: keyPair.secretKey + "\n", mode: 0o600)
        try Self.createFile(
            publicKeyURL(name: name),
            contents: keyPair.publicKey + "\n" + (role.map { "role: \($0.rawValue)\n" } ?? ""), mode: 0o644)
        return keyPair
    }

    /// Creates `url` with `mode` from its first byte: `open(O_CREAT | O_EXCL)` with the mode, then `fchmod` (the
    /// umask may only have narrowed it), then the contents. No temporary file, no rename, no moment in which
    /// another user could open the file; an existing file is never replaced.
    static func createFile(_ url: URL, contents: String, mode: mode_t) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw errno == EEXIST ? KeyFileError.exists(url.path) : KeyFileError.unwritable(url.path)
        }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard fchmod(descriptor, mode) == 0, written == bytes.count, fsync(descriptor) == 0 else {
            unlink(url.path)
            throw KeyFileError.unwritable(url.path)
        }
    }

    /// Why the secret key file of `name` is unsafe to use, or `nil`: readable or writable by others, or by its
    /// group while this process's user owns it. A file owned by another user (Kubernetes mounts Secrets as
    /// root-owned, readable by the pod's `fsGroup`) can only be read through its group, so that is accepted.
    public func secretExposure(name: String) -> String? {
        var status = stat()
        guard stat(secretKeyURL(name: name).path, &status) == 0 else { return nil }
        let exposed = status.st_mode & (status.st_uid == geteuid() ? 0o077 : 0o007)
        guard exposed != 0 else { return nil }
        return
            "\(secretKeyURL(name: name).path) has mode \(String(status.st_mode & 0o777, radix: 8)): its group or other users "
            + "can read it; run chmod 600 on it (and replace the key if others may have copied it)"
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
    func allowList(excluding names: Set<String> = []) throws -> Set<String> {
        Set(try roles(excluding: names).keys.map(\.self))
    }

    /// Every public key in the folder with its role; a file without a `role:` line is `nil` (the learner
    /// treats it as an actor and says so).
    public func roles(excluding names: Set<String> = []) throws -> [String: KeyRole?] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        var roles: [String: KeyRole?] = [:]
        for file in files.sorted() where file.hasSuffix(".key") && !names.contains(String(file.dropLast(4))) {
            let (key, role) = try Self.readPublicKeyFile(at: directory.appendingPathComponent(file))
            roles[key] = role
        }
        return roles
    }

    /// The names of the `.key` files without a `role:` line.
    public func filesWithoutRole(excluding names: Set<String> = []) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().filter { file in
            guard file.hasSuffix(".key"), !names.contains(String(file.dropLast(4))) else { return false }
            return try Self.readPublicKeyFile(at: directory.appendingPathComponent(file)).role == nil
        }
    }

    /// The key of a file whose first line is a Z85 key (the only line of a secret file).
    private static func readKey(at url: URL) throws -> String {
        try readPublicKeyFile(at: url).key
    }

    /// A `.key` file: the Z85 key on its first line, then optionally `role: NAME`.
    private static func readPublicKeyFile(at url: URL) throws -> (key: String, role: KeyRole?) {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw KeyFileError.unreadable(url.path) }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let key = lines.first, key.utf8.count == 40, lines.count <= 2 else {
            throw KeyFileError.malformed(url.path)
        }
        guard lines.count == 2 else { return (key, nil) }
        let parts = lines[1].split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, parts[0] == "role", let role = KeyRole(rawValue: parts[1]) else {
            throw KeyFileError.invalidRole(path: url.path, line: lines[1])
        }
        return (key, role)
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
    case invalidRole(path: String, line: String)

    public var description: String {
        switch self {
        case .invalidName(let name): "invalid key name '\(name)': use letters, digits, '-', '_' and '.'"
        case .exists(let path): "\(path) already exists; remove it first to replace the key"
        case .unwritable(let path): "could not create \(path)"
        case .unreadable(let path): "could not read key file \(path)"
        case .malformed(let path): "\(path) does not hold a 40-character Z85 key (and at most a `role:` line)"
        case .invalidRole(let path, let line):
            "\(path): '\(line)' is not a role line; write `role: actor`, `role: submitter` or `role: operator`"
        }
    }
}
