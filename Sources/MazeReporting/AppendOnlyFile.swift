import Foundation

/// A file that is only ever appended to with unbuffered writes, so other processes (TensorBoard,
/// `tail -f`) see each record as soon as it is written; ``flush()`` additionally makes it durable.
final class AppendOnlyFile {
    let url: URL
    private var handle: FileHandle?

    /// Opens the file at `url` for appending, creating it and its directory if needed; `truncate`
    /// starts it empty.
    init(url: URL, truncate: Bool = true) throws {
        self.url = url
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if truncate || !FileManager.default.fileExists(atPath: url.path) {
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                    throw ReportingError.cannotWrite(path: url.path, reason: "the file cannot be created")
                }
            }
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            self.handle = handle
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
