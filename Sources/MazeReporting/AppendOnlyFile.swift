import Foundation

/// A file that is only ever appended to with unbuffered writes, so other processes (TensorBoard,
/// `tail -f`) see each record as soon as it is written; ``flush()`` additionally makes it durable.
final class AppendOnlyFile {
    let url: URL
    private var handle: FileHandle?

    /// Creates (or truncates) the file at `url`, creating its directory if needed.
    init(url: URL) throws {
        self.url = url
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw ReportingError.cannotWrite(path: url.path, reason: "the file cannot be created")
            }
            handle = try FileHandle(forWritingTo: url)
        } catch let error as ReportingError {
            throw error
        } catch {
            throw ReportingError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    func append(_ bytes: some Sequence<UInt8>) throws {
        guard let handle else { throw ReportingError.writerClosed(path: url.path) }
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw ReportingError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    func append(_ text: String) throws {
        try append(text.utf8)
    }

    func flush() throws {
        guard let handle else { throw ReportingError.writerClosed(path: url.path) }
        do {
            try handle.synchronize()
        } catch {
            throw ReportingError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Flushes and closes; closing twice is harmless.
    func close() throws {
        guard let handle else { return }
        try flush()
        try? handle.close()
        self.handle = nil
    }
}
