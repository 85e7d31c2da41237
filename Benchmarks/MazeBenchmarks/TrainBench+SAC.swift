import MazeCore
import MazeEnvs
import MazePerception
import MazeTensor
import MazeTrain

/// SAC's part of `maze bench train`: Pendulum-v1 in the dev runner for a fixed number of updates (Maze's
/// `sac.yaml` but 500 random initial steps and [64, 64] ReLU networks), its gradient updates/s and env
/// steps/s, next to one forward+backward pass of the same networks (policy with a reparameterized sample
/// and both Q critics) on a batch of the same size, measured in the same run.
extension TrainBench {
    static func addSAC(to report: inout BenchmarkReport, seconds: Double, repeats: Int) throws {
        var settings = SACSettings()
        settings.initialBufferSize = 500
        settings.common.epochLength = 500
        settings.common.nEpochs = 2
        settings.common.patience = 0
        settings.common.rolloutEvaluator.nEpisodes = 1
        var recipe = ModelRecipe.flattenConcat(hiddenUnits: [64, 64], nonLinearity: .relu)
        recipe.criticKind = .stateAction
        var summaries: [DevRunner<SoftActorCriticModel>.Summary] = []
        var model: SoftActorCriticModel?
        for _ in 0..<repeats {
            var options = DevRunner<SoftActorCriticModel>.Options()
            options.seed = 1
            options.log = { _ in }
            let registries = Registries.withMazeEnvs
            let runner = try DevRunner.make(
                makeEnv: { try registries.makeEnv("Pendulum-v1") }, settings: settings, recipe: recipe, options: options
            )
            summaries.append(try runner.train())
            model = runner.model
        }
        guard let model else { return }
        let batch = settings.batchSize
        let observations = try Tensor(repeating: 0.1, shape: [batch, 3])
        var random = MazeRandom(seed: 3)
        let forwardBackward = try medianRate(seconds: seconds, repeats: repeats) {
            let tape = Tape()
            let bound = tape.bind(model.parameters)
            let rows = tape.constant(observations)
            let (actions, logProbs) = try model.policy.reparameterizedSample(
                logits: model.policy.network(rows, bound), random: &random)
            let q1 = try model.critics[0](observations: rows, actions: actions, bound)
            let q2 = try model.critics[1](observations: rows, actions: actions, bound)
            try tape.backward(from: (logProbs + q1 + q2).mean())
            _ = try bound.gradients()
            return 1
        }
        // One learner sample per batch row: samples/s ÷ batch size = gradient updates/s.
        let updates = median(summaries.map(\.learnerSamplesPerSecond)) / Double(batch)
        report.add(
            "sac_updates_per_s", updates, unit: "updates/s",
            label: "SAC Pendulum-v1 gradient updates/s (batch \(batch))")
        report.add(
            "sac_env_steps_per_s", median(summaries.map(\.envStepsPerSecond)), unit: "steps/s",
            label: "SAC rollout env steps/s")
        report.add(
            "sac_forward_backward_per_s", forwardBackward, unit: "passes/s",
            label: "policy + twin Q forward+backward (baseline)")
        report.addRatio(
            "sac_update_over_forward_backward", updates, over: forwardBackward, label: "SAC update / forward+backward")
    }
}
