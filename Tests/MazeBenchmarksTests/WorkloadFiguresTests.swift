import Testing

@testable import MazeBenchmarks

@Suite("Workload figures")
struct WorkloadFiguresTests {
    /// Maze's default policy and critic on CartPole-v1, as a state dict names them.
    private static let defaultShapes: [String: [Int]] = [
        "policy.0.body.0.weight": [256, 4], "policy.0.body.0.bias": [256],
        "policy.0.body.1.weight": [256, 256], "policy.0.body.1.bias": [256],
        "policy.0.action.weight": [2, 256], "policy.0.action.bias": [2],
        "critic.0.body.0.weight": [256, 4], "critic.0.body.1.weight": [256, 256], "critic.0.value.weight": [1, 256],
    ]

    @Test("Networks are chained from their weight shapes, hidden layers before the head")
    func chains() throws {
        let networks = try DenseNetworks(shapes: Self.defaultShapes)
        #expect(networks.chains == ["policy.0": [4, 256, 256, 2], "critic.0": [4, 256, 256, 1]])
        #expect(throws: BenchError.self) { try DenseNetworks(shapes: ["policy.0.body.0.bias": [4]]) }
        #expect(throws: BenchError.self) {
            try DenseNetworks(shapes: ["a.0.x.weight": [8, 4], "a.0.y.weight": [3, 5]])
        }
    }

    @Test("FLOPs per sample: forward, weight gradients, and input gradients of all but the first layer")
    func flops() throws {
        // Per network: forward 2·(4·256 + 256·256 + 256·out), twice that for backward, less the first layer's
        // input gradient (2·4·256). About 0.8 MFLOP per sample for both, as issue 19 counts.
        let policy = 2 * (4 * 256 + 256 * 256 + 256 * 2)
        let critic = 2 * (4 * 256 + 256 * 256 + 256 * 1)
        let expected = 3 * (policy + critic) - 2 * 2 * 4 * 256
        #expect(try DenseNetworks(shapes: Self.defaultShapes).trainingFlopsPerSample == expected)
        #expect(GemmReplay.trainingFlops(sizes: [4, 256, 256, 2], batch: 100) == 100 * (3 * policy - 2 * 4 * 256))
    }

    @Test("Local runner output: its actor count, the actors' env steps/s after the first epoch, the learner's work")
    func localRunnerOutput() throws {
        let output = """
            Local runner: learner on ipc:///x, 4 actor processes (as given; 1 fit the cores, …)
            exp-0001 running: epoch 0, best return -, 4 actors, 5000 env steps/s
            exp-0001 running: epoch 1, best return 83.88, 4 actors, 9839 env steps/s
            exp-0001 running: epoch 2, best return 500.00, 4 actors, 16818 env steps/s
            exp-0001 running: epoch 3, best return 500.00, 4 actors, 15000 env steps/s
            exp-0001 done: epoch 3, best return 500.00, 0 actors, 0 env steps/s
            Learner: trained on 120000 of 124800 samples received from the actors (96.2%), 3 frames rejected (stale 3)
            """
        #expect(WorkloadsBench.actorCount(output) == 4)
        #expect(WorkloadsBench.actorEnvStepsPerSecond(output) == 15000)
        #expect(WorkloadsBench.actorCount("Local runner: learner on ipc:///tmp/x/sockets, 1 actor process") == 1)
        #expect(WorkloadsBench.actorCount("no runner here") == nil)
        #expect(WorkloadsBench.actorEnvStepsPerSecond("").isNaN)
        #expect(try WorkloadsBench.learnerWork(output) == (120000, 124800))
        #expect(throws: BenchError.self) { try WorkloadsBench.learnerWork("no runner here") }
    }

    @Test("Per-epoch figures skip the first epoch (start-up) unless it is the only one")
    func laterEpochs() throws {
        #expect(try WorkloadsBench.laterEpochs([(1, 0.9), (2, 0.04), (3, 0.05)], what: "t") == [0.04, 0.05])
        #expect(try WorkloadsBench.laterEpochs([(1, 0.9)], what: "t") == [0.9])
        #expect(throws: BenchError.self) { try WorkloadsBench.laterEpochs([], what: "t") }
    }
}
