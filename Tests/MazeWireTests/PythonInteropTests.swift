import Foundation
import MazeSystem
import MazeTestSupport
import MazeWire
import Testing

/// Checks docs/PROTOCOL.md against Python's own msgpack and numpy: Python reads a Swift frame with nothing but
/// `msgpack.unpackb` and `numpy.frombuffer`, and writes a frame that Swift decodes.
@Suite("Interoperability with Python msgpack and numpy")
struct PythonInteropTests {
    /// Reads the TrajectoryBatch in argv[1], prints what it found as JSON, writes a PolicyUpdate to argv[2].
    private static let script = #"""
        import json, sys
        import msgpack, numpy as np

        def array(t):
            return np.frombuffer(t["data"], dtype=t["dtype"]).reshape(t["shape"])

        def tensor(a):
            return {"dtype": a.dtype.str[1:], "shape": list(a.shape), "data": a.tobytes()}

        with open(sys.argv[1], "rb") as f:
            batch = msgpack.unpackb(f.read(), raw=False)
        assert batch["v"] == 1 and batch["type"] == "TrajectoryBatch", batch["type"]
        steps, envs = batch["steps"], batch["envs"]
        observation = array(batch["observations"]["observation"])
        assert observation.shape == (steps + 1, envs, 3), observation.shape
        print(json.dumps({
            "observation_sum": float(observation.sum()),
            "pixels_dtype": str(array(batch["observations"]["pixels"]).dtype),
            "actions": array(batch["actions"]["action"]).tolist(),
            "terminated": array(batch["terminated"]).tolist(),
            "log_probs": array(batch["behaviour_log_probs"]).tolist(),
            "logits_shape": list(array(batch["behaviour_logits"]["action"]).shape),
            "episodes": batch["episodes"],
        }))

        update = {
            "v": 1, "type": "PolicyUpdate", "experiment_id": "from-python", "version": 2**63 + 5,
            "weights": {"dense.weight": tensor(np.arange(6, dtype="<f4").reshape(2, 3)),
                        "steps": tensor(np.array([-7], dtype="<i8"))},
            "stop": True,
            "auxiliary": {"mask": tensor(np.array([True, False])), "empty": tensor(np.zeros((0, 3), dtype="<i4"))},
            "added_later": {"ignored": [1, 2.5, None]},
        }
        with open(sys.argv[2], "wb") as f:
            f.write(msgpack.packb(update, use_bin_type=True))
        """#

    @Test("Python reads a Swift TrajectoryBatch and writes a PolicyUpdate that Swift decodes")
    func roundTripThroughPython() throws {
        try PythonInterop.requireModules(["msgpack", "numpy"])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maze-wire-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let batchURL = directory.appendingPathComponent("batch.msgpack")
        let updateURL = directory.appendingPathComponent("update.msgpack")
        let batch = try Fixtures.trajectoryBatch(steps: 3, envs: 2)
        try Data(Fixtures.bytes(of: .trajectoryBatch(batch))).write(to: batchURL)

        let prefix = PythonInterop.interpreter == "/usr/bin/env" ? ["python3"] : []
        let child = try ChildProcess(
            executable: PythonInterop.interpreter,
            arguments: prefix + ["-c", Self.script, batchURL.path, updateURL.path])
        let exit = try child.waitForExit(seconds: 60)
        try #require(exit.succeeded, "python failed: \(exit.errorOutput)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(exit.output.utf8)) as? [String: Any])
        let observations = try #require(batch.observations["observation"]).values(as: Float.self)
        #expect(report["observation_sum"] as? Double == Double(observations.reduce(0, +)))
        #expect(report["pixels_dtype"] as? String == "uint8")
        #expect(report["actions"] as? [[Int]] == [[0, 1], [0, 1], [0, 1]])
        #expect(report["terminated"] as? [[Bool]] == [[false, false], [false, false], [false, true]])
        // JSON carries the float32 values as decimal doubles; compare them at float32 precision.
        let logProbs = (report["log_probs"] as? [[Double]])?.flatMap { $0 }.map(Float.init)
        #expect(logProbs == (try batch.behaviourLogProbs.values(as: Float.self)))
        #expect(report["logits_shape"] as? [Int] == [3, 2, 2])
        let episodes = try #require(report["episodes"] as? [[String: Any]])
        #expect(episodes.first?["return"] as? Double == 21.5)
        #expect(episodes.first?["length"] as? Int == 22)
        #expect((episodes.first?["kpis"] as? [String: Double])?["pole_angle"] == -0.125)

        let frame = try [UInt8](Data(contentsOf: updateURL))
        let expected = PolicyUpdate(
            experimentID: "from-python",
            version: (1 << 63) + 5,
            weights: [
                "dense.weight": try WireTensor(shape: [2, 3], values: (0..<6).map(Float.init)),
                "steps": try WireTensor(shape: [1], values: [Int64(-7)]),
            ],
            stop: true,
            auxiliary: [
                "mask": try WireTensor(shape: [2], bools: [true, false]),
                "empty": try WireTensor(shape: [0, 3], values: [Int32]()),
            ]
        )
        #expect(try Fixtures.decode(frame) == .policyUpdate(expected))
    }
}
