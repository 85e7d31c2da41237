import Foundation

/// Writes `line` to standard output at once: daemons' output usually goes to a file or pipe, where `print`
/// would hold it in a buffer until exit.
func printUnbuffered(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
