import Foundation
import MazeSystem
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal HTTP server answering every request with the Prometheus text of a `ServiceMetrics`.
///
/// One thread accepts connections on `HOST:PORT` (`127.0.0.1:9100`; port 0 picks a free one) and answers
/// each on a thread of its own with a single response, reading at most a few kilobytes of request: enough for
/// Prometheus, and nothing a scraper can use to make the learner allocate. At most `maxConnections` are
/// answered at once (more are closed unanswered), each within a second, so idle or slow connections cannot
/// delay other scrapes.
public final class MetricsEndpoint: Sendable {
    /// The port actually bound.
    public let port: Int
    private let listener: Int32
    private let stopped = StopSignal()
    private let finished = DispatchSemaphore(value: 0)
    /// Connections answered at the same time at most.
    public static let maxConnections = 16

    public init(address: String, metrics: ServiceMetrics) throws {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            throw ServiceError.invalidConfiguration("metrics address '\(address)' is not HOST:PORT")
        }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        guard inet_pton(AF_INET, String(address[..<colon]), &socketAddress.sin_addr) == 1 else {
            throw ServiceError.invalidConfiguration("metrics address '\(address)' needs an IPv4 host such as 127.0.0.1")
        }
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ServiceError.invalidConfiguration("cannot open a socket for \(address)") }
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw ServiceError.invalidConfiguration("cannot listen on \(address): \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.listener = listener
        let thread = Thread { [stopped, finished] in
            defer { finished.signal() }
            Self.serve(listener: listener, metrics: metrics, stopped: stopped)
        }
        thread.name = "maze.metrics"
        thread.start()
    }

    deinit {
        stop()
    }

    /// Stops serving and closes the port.
    public func stop() {
        guard stopped.stop() else { return }
        finished.wait()
        close(listener)
    }

    private static func serve(listener: Int32, metrics: ServiceMetrics, stopped: StopSignal) {
        let open = OpenConnections()
        while !stopped.isStopped {
            // Poll with a short timeout so that `stop()` is noticed without closing the socket under the thread.
            var item = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&item, 1, 100) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            guard open.enter() else {
                close(connection)
                continue
            }
            let thread = Thread {
                answer(connection, metrics.snapshot.prometheusText)
                close(connection)
                open.leave()
            }
            thread.name = "maze.metrics.connection"
            thread.start()
        }
    }

    /// The number of connections being answered, bounded by `maxConnections`.
    private final class OpenConnections: Sendable {
        private let count = Atomic<Int>(0)

        func enter() -> Bool {
            guard count.add(1, ordering: .relaxed).newValue <= MetricsEndpoint.maxConnections else {
                count.subtract(1, ordering: .relaxed)
                return false
            }
            return true
        }

        func leave() {
            count.subtract(1, ordering: .relaxed)
        }
    }

    private static func answer(_ connection: Int32, _ body: String) {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8](repeating: 0, count: 4096)
        _ = recv(connection, &request, request.count, 0)
        let payload = Array(body.utf8)
        let header =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            + "Content-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
        let response = Array(header.utf8) + payload
        var sent = 0
        while sent < response.count {
            let written = response[sent...].withUnsafeBytes {
                send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { return }
            sent += written
        }
    }
}
