import Foundation

/// Writes every event of the rollout as TSV (`record_event_logs`): one file per event type,
/// `<topic>.<name>.tsv` under the directory, with columns `episode_id`, `step` and the attributes. The
/// directory is created with the first event, so an env without events leaves no empty folder.
final class EventLogWriter {
    private let directory: URL
    private var files: [EventDescriptor: (handle: FileHandle, attributes: [String])] = [:]

    /// Writes below `directory`, which is created when the first event arrives.
    init(directory: URL) throws {
        self.directory = directory
    }

    deinit {
        for (handle, _) in files.values { try? handle.close() }
    }

    /// Appends the events of one step of episode `episodeID`.
    func write(_ events: [Event], episodeID: Int, step: Int) throws {
        for event in events {
            let (handle, attributes) = try file(for: event)
            let values = attributes.map { event.attributes[$0].map { String($0) } ?? "" }
            handle.write(Data((([String(episodeID), String(step)] + values).joined(separator: "\t") + "\n").utf8))
        }
    }

    private func file(for event: Event) throws -> (handle: FileHandle, attributes: [String]) {
        if let file = files[event.descriptor] { return file }
        if files.isEmpty {
            do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
                throw MazeError.io("cannot create event log directory \(directory.path): \(error)")
            }
        }
        let url = directory.appendingPathComponent("\(event.descriptor.topic).\(event.descriptor.name).tsv")
        let attributes = event.attributes.keys.sorted()
        let header = (["episode_id", "step"] + attributes).joined(separator: "\t") + "\n"
        guard FileManager.default.createFile(atPath: url.path, contents: Data(header.utf8)),
            let handle = try? FileHandle(forWritingTo: url)
        else { throw MazeError.io("cannot write event log \(url.path)") }
        try handle.seekToEnd()
        files[event.descriptor] = (handle, attributes)
        return (handle, attributes)
    }
}
