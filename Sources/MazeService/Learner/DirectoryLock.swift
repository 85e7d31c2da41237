import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a lock file in a folder (`learner.lock` in `--outputs`, `sockets.lock` in an `ipc://`
/// folder), held for the lifetime of the value, so that two learners never
/// share an `--outputs` folder (and resume the same experiment twice) or an `ipc://` folder (and take over
/// each other's sockets).
///
/// The kernel releases the lock when the process ends, however it ends, so a learner killed with SIGKILL
/// leaves nothing to clean up. The file holds the owner's process id for the refusal message.
public final class DirectoryLock {
    private let descriptor: Int32
    public let url: URL

    /// Takes the lock file `name` of `directory` (created if missing), or throws
    /// `ServiceError.invalidConfiguration` naming the process holding it; `purpose` says what the folder is
    /// (`--outputs`, `ipc://`).
    public init(directory: URL, name: String, purpose: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        url = directory.appendingPathComponent(name)
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ServiceError.invalidConfiguration("cannot open \(url.path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let owner =
                (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw ServiceError.invalidConfiguration(
                "another learner\(owner.isEmpty ? "" : " (process \(owner))") already uses the \(purpose) folder \(directory.path); "
                    + "stop it first or choose another folder")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        close(descriptor)
    }
}
