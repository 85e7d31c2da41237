/// What can go wrong while writing or reading run outputs, with the file concerned.
public enum ReportingError: Error, Equatable, CustomStringConvertible {
    /// A file or directory could not be created or written.
    case cannotWrite(path: String, reason: String)
    /// A file could not be read.
    case cannotRead(path: String, reason: String)
    /// A line of a statistics log is not what ``JSONLStatsWriter`` writes.
    case malformedLogLine(path: String, line: Int, reason: String)
    /// A writer was used after ``StatsWriter/close()``.
    case writerClosed(path: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        case let .cannotRead(path, reason): "cannot read \(path): \(reason)"
        case let .malformedLogLine(path, line, reason): "\(path):\(line): \(reason)"
        case let .writerClosed(path): "the statistics writer for \(path) is already closed"
        }
    }
}
