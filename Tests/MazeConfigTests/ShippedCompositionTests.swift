import Testing

@testable import MazeConfig

@Suite("Composition of the shipped conf/")
struct ShippedCompositionTests {
    private let composer = ConfigFixtures.shippedComposer

    @Test func rolloutIsTheDefaultRootWithMazesDefaults() throws {
        let composed = try composer.compose()
        #expect(composed.rootConfig == "conf_rollout")
        #expect(composed.choice("runner") == "parallel")
        #expect(composed.choice("policy") == "random_policy")
        #expect(try composed.root.string("env.name") == "CartPole-v1")
        #expect(try composed.root.int("runner.n_processes") == 5)
        #expect(try composed.root.string("policy._target_") == "RandomPolicy")
    }

    @Test func trainingDefaultsFollowMazeWithPPO() throws {
        let composed = try composer.compose(rootConfig: "conf_train")
        #expect(
            composed.choices.map(\.group) == [
                "runner", "env", "wrappers", "algorithm", "model", "critic", "launcher", "configuration",
                "algorithm_runner", "env_configuration", "algorithm_configuration",
            ])
        #expect(composed.choice("algorithm") == "ppo")
        #expect(composed.choice("critic") == nil)
        #expect(composed.choice("algorithm_runner") == "ppo-local")
        #expect(composed.choice("env_configuration") == "gym_env-None")
        let root = composed.root
        #expect(try root.string("log_base_dir") == "outputs")
        #expect(try root.string("input_dir") == "")
        #expect(try root.bool("seeding.shuffle_seeds") == false)
        #expect(root.contains("seeding.env_base_seed"))
        // runner/local.yaml and algorithm_runner/ppo-local.yaml both merge into `runner`, in that order.
        #expect(try root.int("runner.normalization_samples") == 10000)
        #expect(try root.string("runner._target_") == "ACLocalRunner")
        #expect(try root.string("runner.trainer_class") == "PPO")
        #expect(try root.section("model").keys().first == "_target_")
        #expect(
            composed.config.mapValue?.keys == [
                "log_base_dir", "input_dir", "seeding", "runner", "env", "wrappers",
                "algorithm", "model",
            ])
    }

    @Test func algorithmFilesKeepMazesKeysAndDefaults() throws {
        let ppo = try composer.compose(rootConfig: "conf_train").root.section("algorithm")
        #expect(
            try ppo.keys() == [
                "n_epochs", "epoch_length", "patience", "critic_burn_in_epochs", "n_rollout_steps", "lr", "gamma",
                "gae_lambda", "policy_loss_coef", "value_loss_coef", "entropy_coef", "max_grad_norm", "device",
                "batch_size", "n_optimization_epochs", "clip_range", "rollout_evaluator",
            ])
        #expect(try ppo.double("lr") == 2.5e-4)
        #expect(try ppo.double("entropy_coef") == 2.5e-4)
        #expect(try ppo.int("batch_size") == 100)
        #expect(try ppo.double("clip_range") == 0.2)
        #expect(try ppo.int("rollout_evaluator.n_episodes") == 8)

        let a2c = try composer.compose(rootConfig: "conf_train", overrides: ["algorithm=a2c"]).root.section("algorithm")
        #expect(try a2c.double("lr") == 5e-4)
        #expect(!a2c.contains("batch_size"))

        let impala = try composer.compose(rootConfig: "conf_train", overrides: ["algorithm=impala", "runner=dev"])
        let algorithm = try impala.root.section("algorithm")
        #expect(try algorithm.double("entropy_coef") == 0.01)
        #expect(try algorithm.int("actors_batch_size") == 8)
        #expect(try algorithm.int("num_actors") == 8)
        #expect(try algorithm.int("queue_out_of_sync_factor") == 1)
        #expect(algorithm.contains("max_policy_lag") && algorithm.nonNull("max_policy_lag") == nil)
        #expect(try algorithm.double("vtrace_clip_rho_threshold") == 1.0)
        #expect(try algorithm.int("n_training_seeds") == 100)
        #expect(try impala.root.int("runner.eval_concurrency") == 1)
        #expect(try impala.root.int("runner.normalization_samples") == 1000)
    }

    @Test func mazeCommandLinesComposeNearlyVerbatim() throws {
        let train = try composer.compose(
            rootConfig: "conf_train",
            overrides: [
                "env=gym_env", "env.name=CartPole-v1", "algorithm=ppo", "model=vector_obs", "critic=template_state",
            ])
        #expect(try train.root.string("model.critic._target_") == "StateCriticComposer")
        #expect(try train.root.string("model.model_builder.modality_config.feature.block_type") == "DenseBlock")

        let rollout = try composer.compose(overrides: [
            "env=gym_env", "env.name=CartPole-v1", "runner=sequential", "runner.n_episodes=1",
        ])
        #expect(try rollout.root.int("runner.n_episodes") == 1)
        #expect(try rollout.root.string("runner._target_") == "SequentialRolloutRunner")

        let trained = try composer.compose(overrides: [
            "env.name=CartPole-v1", "model=vector_obs", "policy=torch_policy", "input_dir=outputs/run",
        ])
        #expect(try trained.root.string("policy.input_dir") == "outputs/run")
        #expect(trained.choice("model") == "vector_obs")
        #expect(try trained.root.string("model._target_") == "TemplateModelComposer")
    }

    @Test func builtInEnvironmentsAreReachableByFileAndByGymId() throws {
        let byFile = try composer.compose(overrides: ["env=mountain_car_continuous"])
        #expect(try byFile.root.string("env.name") == "MountainCarContinuous-v0")
        #expect(try byFile.root.string("env._target_") == "make_gym_maze_env")
        let byId = try composer.compose(overrides: ["env=gym_env", "env.name=Acrobot-v1"])
        #expect(try byId.root.string("env.name") == "Acrobot-v1")
        let masked = try composer.compose(overrides: ["env=cutting_2d_struct_masked"])
        #expect(try masked.root.string("env._target_") == "masked_structured_cutting_2d_env_factory")
        #expect(try masked.root.int("env.max_pieces_in_inventory") == 200)
    }

    @Test func experimentFilesOverrideDefaultsAndValues() throws {
        let composed = try composer.compose(
            rootConfig: "conf_train", overrides: ["algorithm=a2c", "+experiment=cartpole_ppo_wrappers"])
        // The command line wins over the experiment's defaults override, the experiment's values win over the group's.
        #expect(composed.choice("algorithm") == "a2c")
        #expect(composed.choice("wrappers") == "vector_obs")
        #expect(composed.choice("experiment") == "cartpole_ppo_wrappers")
        #expect(composed.choice("algorithm_runner") == "a2c-local")
        #expect(try composed.root.double("algorithm.lr") == 0.0001)
        #expect(composed.root.contains("wrappers.ObservationNormalizationWrapper.sampling_policy"))

        let plain = try composer.compose(rootConfig: "conf_train", overrides: ["+experiment=cartpole_ppo_wrappers"])
        #expect(plain.choice("algorithm") == "ppo")
        #expect(try plain.root.double("algorithm.lr") == 0.0001)
    }

    /// The ES experiment's runner values survive the runner chosen on the command line (they are merged after it).
    @Test func esExperimentKeepsItsSettingsWithEveryRunner() throws {
        for runner in ["dev", "local"] {
            let composed = try composer.compose(
                rootConfig: "conf_train", overrides: ["+experiment=cartpole_es", "runner=\(runner)"])
            #expect(composed.choice("algorithm") == "es")
            #expect(composed.choice("algorithm_runner") == "es-\(runner)")
            #expect(try composed.root.string("env.name") == "CartPole-v1")
            #expect(try composed.root.int("algorithm.n_rollouts_per_update") == 100)
            #expect(try composed.root.int("runner.shared_noise_table_size") == 1_000_000)
        }
    }

    /// Every option of every shipped group composes, in the root config it belongs to.
    @Test func everyShippedGroupOptionComposes() throws {
        let searchPath = composer.searchPath
        let groups = [
            "env", "wrappers", "model", "critic", "algorithm", "runner", "algorithm_runner", "policy",
            "experiment",
        ]
        for group in groups {
            let options = searchPath.options(inGroup: group)
            #expect(!options.isEmpty, "group \(group) has no options")
            for option in options {
                var failures: [String] = []
                for root in ["conf_train", "conf_rollout"] {
                    let prefix = group == "experiment" || (group == "critic" && root == "conf_rollout") ? "+" : ""
                    do {
                        let composed = try composer.compose(
                            rootConfig: root, overrides: ["\(prefix)\(group)=\(option)"])
                        #expect(composed.choice(group) == option)
                        #expect(try ConfigNode(yaml: composed.yaml) == composed.config)
                    } catch {
                        failures.append("\(root): \(error)")
                    }
                }
                #expect(failures.count < 2, "\(group)=\(option) composes nowhere: \(failures)")
            }
        }
        #expect(searchPath.options(inGroup: "") == ["conf_rollout", "conf_train"])
        #expect(Set(searchPath.options(inGroup: "algorithm")) == ["a2c", "bc", "es", "impala", "ppo", "sac", "sacfd"])
    }
}
