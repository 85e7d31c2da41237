import Foundation

/// What Linux's `/proc` says about processes a test started (or that they started): whether one still runs, its
/// children, its command line.
public enum ProcessTable {
    /// Whether `pid` runs; a zombie waiting for its reaper counts as ended.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0, let fields = statFields(pid) else { return false }
        return fields.first != "Z"
    }

    /// The live child processes of `parent`.
    public static func children(of parent: Int32) -> [Int32] {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.compactMap { name -> Int32? in
            guard let pid = Int32(name), let fields = statFields(pid), fields.count > 1, fields[0] != "Z",
                Int32(fields[1]) == parent
            else { return nil }
            return pid
        }
    }

    /// The command line of `pid`, its arguments joined by spaces; empty once it is gone.
    public static func commandLine(of pid: Int32) -> String {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }

    /// The fields of `/proc/PID/stat` after "PID (command)": the state, the parent's id, …
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: end)...].split(separator: " ")
    }
}
