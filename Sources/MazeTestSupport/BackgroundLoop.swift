import Foundation
import MazeSystem
import Synchronization

/// Runs a service loop on its own thread (its sockets are made there) and stops it on request or at deinit,
/// so no test leaves a thread behind.
public final class BackgroundLoop: Sendable {
    public let stop = StopSignal()
    private let finished = DispatchSemaphore(value: 0)
    private let failure = Shared<String?>(nil)

    public init(_ name: String, _ body: @escaping @Sendable (StopSignal) throws -> Void) {
        let thread = Thread { [stop, finished, failure] in
            defer { finished.signal() }
            do {
                try body(stop)
            } catch {
                failure.set("\(name): \(error)")
            }
        }
        thread.name = name
        thread.start()
    }

    /// Stops the loop, waits for it and returns its error, if any.
    @discardableResult
    public func finish() -> String? {
        if stop.stop() { finished.wait() }
        return failure.current
    }

    public var error: String? { failure.current }

    deinit {
        finish()
    }
}

/// Waits until `condition` holds, polling; `false` after `seconds`.
public func eventually(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// A fresh temporary folder, removed with everything in it when the test lets go of it.
public final class TemporaryDirectory {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("maze-distributed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// An `ipc://` endpoint for a socket file named `name` in the folder.
    public func ipc(_ name: String) -> String { "ipc://\(path)/\(name).ipc" }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// A shared value tests hand to and read from background loops.
public final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    public init(_ value: Value) {
        self.value = Mutex(value)
    }

    public var current: Value { value.withLock { $0 } }

    public func set(_ newValue: Value) {
        value.withLock { $0 = newValue }
    }
}

/// A base port whose next two ports are free too, below Linux's ephemeral range (32768–60999) so that no
/// outgoing connection can be holding one of them.
public func freeBasePort() -> Int {
    Int.random(in: 20_000..<32_000)
}
