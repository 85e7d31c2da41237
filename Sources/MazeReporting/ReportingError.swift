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
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .malformedLogLine(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .writerClosed(let path): "the statistics writer for \(path) is already closed"
        }
    }
}
