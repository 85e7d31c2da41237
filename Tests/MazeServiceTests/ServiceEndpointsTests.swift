import Testing

@testable import MazeService

@Suite("Endpoint derivation")
struct ServiceEndpointsTests {
    @Test("tcp://HOST:P gives control P, trajectories P+1 and weights P+2 on the same host")
    func tcp() throws {
        let bind = try ServiceEndpoints(base: "tcp://0.0.0.0:7000")
        #expect(bind.control == "tcp://0.0.0.0:7000")
        #expect(bind.trajectories == "tcp://0.0.0.0:7001")
        #expect(bind.weights == "tcp://0.0.0.0:7002")
        #expect(!bind.isLoopback)
        let connect = try ServiceEndpoints(base: "tcp://learner.example:7000")
        #expect(connect.transport == .tcp(host: "learner.example", controlPort: 7000))
        #expect(connect.weights == "tcp://learner.example:7002")
    }

    @Test("ipc://DIR gives three socket files in DIR, trailing slashes ignored")
    func ipc() throws {
        let endpoints = try ServiceEndpoints(base: "ipc:///tmp/maze/")
        #expect(endpoints.control == "ipc:///tmp/maze/control.ipc")
        #expect(endpoints.trajectories == "ipc:///tmp/maze/trajectories.ipc")
        #expect(endpoints.weights == "ipc:///tmp/maze/weights.ipc")
        #expect(endpoints.isLoopback)
    }

    @Test(
        "Loopback hosts are recognised",
        arguments: ["tcp://127.0.0.1:7000", "tcp://localhost:7000", "tcp://[::1]:7000"])
    func loopback(base: String) throws {
        #expect(try ServiceEndpoints(base: base).isLoopback)
    }

    @Test(
        "Bad bases are refused with the reason",
        arguments: [
            "tcp://host", "tcp://:7000", "tcp://host:0", "tcp://host:65534", "tcp://host:port", "ipc://",
            "udp://host:1", "",
        ])
    func invalid(base: String) {
        #expect(throws: EndpointError.self) { try ServiceEndpoints(base: base) }
    }
}

/// Loopback means a loopback address, not a host name that starts like one (issue 14).
@Suite struct LoopbackCheckTests {
    @Test(
        "Host names that merely begin with 127. are not loopback",
        arguments: [
            "tcp://127.0.0.1.attacker.example:7000", "tcp://127.0.0.1.:7000", "tcp://127.0.0:7000",
            "tcp://127.0.0.256:7000",
            "tcp://127.a.0.1:7000",
        ])
    func lookalikesAreNotLoopback(base: String) throws {
        #expect(try !ServiceEndpoints(base: base).isLoopback)
    }

    @Test("localhost binds and connects as 127.0.0.1, which libzmq can bind")
    func localhostIsItsAddress() throws {
        let endpoints = try ServiceEndpoints(base: "tcp://localhost:7000")
        #expect(endpoints.control == "tcp://127.0.0.1:7000")
        #expect(throws: Never.self) { try ServerSecurity.insecure.validate(for: endpoints) }
    }
}
