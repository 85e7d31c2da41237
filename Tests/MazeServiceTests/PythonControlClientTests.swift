import Foundation
import MazeSystem
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

/// The control protocol as docs/PROTOCOL.md section 7 specifies it, spoken by a client nobody here wrote
/// (pyzmq + msgpack) against a Swift learner.
@Suite("Control protocol from Python")
struct PythonControlClientTests {
    private static let client = """
        import json, sys, msgpack, zmq
        dealer = zmq.Context().socket(zmq.DEALER)
        dealer.setsockopt(zmq.RCVTIMEO, 10000)
        dealer.connect(sys.argv[1])
        def ask(message):
            dealer.send(msgpack.packb(dict(v=1, **message), use_bin_type=True))
            return msgpack.unpackb(dealer.recv(), raw=False)
        submitted = ask({"type": "Submit", "config_yaml": "env: python\\n", "overrides": ["env=python"], "command_line": ["py"]})
        assert submitted["type"] == "Submitted", submitted
        refused = ask({"type": "Cancel", "experiment_id": "exp-9999"})
        assert refused["type"] == "Error" and refused["code"] == "unknown_experiment", refused
        dealer.send(b"\\xc1")
        malformed = msgpack.unpackb(dealer.recv(), raw=False)
        assert malformed["type"] == "Error" and malformed["code"] == "malformed", malformed
        report = ask({"type": "StatusRequest"})
        assert report["type"] == "StatusReport", report
        print(json.dumps([[e["experiment_id"], e["state"], e["policy_lag"]["batches"]] for e in report["experiments"]]))
        """

    @Test("A pyzmq DEALER submits, is refused, gets an Error for garbage, and reads the status report")
    func pythonClient() throws {
        try PythonInterop.requireModules(["zmq", "msgpack"])
        let directory = try TemporaryDirectory()
        let endpoints = try ServiceEndpoints(base: "ipc://\(directory.path)")
        let outputs = directory.url
        let learner = BackgroundLoop("learner") { stop in
            let configuration = LearnerConfiguration(
                endpoints: endpoints, security: .insecure, outputsDirectory: outputs)
            let service = try LearnerService(configuration: configuration, context: try ZMQContext()) { _ in
                try CountingAlgorithm()
            }
            try service.run(until: stop)
        }
        let prefix = PythonInterop.interpreter == "/usr/bin/env" ? ["python3"] : []
        let python = try ChildProcess(
            executable: PythonInterop.interpreter, arguments: prefix + ["-c", Self.client, endpoints.control])
        let exit = try python.waitForExit(seconds: 60)
        #expect(exit.succeeded, "\(exit.errorOutput)")
        let rows = try JSONSerialization.jsonObject(with: Data(exit.output.utf8)) as? [[Any]]
        #expect(rows?.count == 1)
        #expect(rows?.first?[0] as? String == "exp-0001")
        #expect(["queued", "running"].contains(rows?.first?[1] as? String ?? ""))
        #expect(learner.finish() == nil)
    }
}
