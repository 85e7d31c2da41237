import Testing

@testable import MazeConfig

@Suite("Command-line overrides")
struct OverrideCompositionTests {
    private let composer = ConfigFixtures.shippedComposer

    @Test func changeAddForceAddAndDeleteValues() throws {
        let composed = try composer.compose(
            rootConfig: "conf_train",
            overrides: [
                "algorithm.lr=1e-3", "+algorithm.warmup=[1,2]", "++algorithm.gamma=0.9", "++algorithm.extra.depth=2",
                "~algorithm.clip_range", "~seeding.shuffle_seeds=false", "input_dir='a,b'",
            ])
        let root = composed.root
        #expect(try root.double("algorithm.lr") == 0.001)
        #expect(try root.section("algorithm.warmup").elements().map { try $0.int() } == [1, 2])
        #expect(try root.double("algorithm.gamma") == 0.9)
        #expect(try root.int("algorithm.extra.depth") == 2)
        #expect(!root.contains("algorithm.clip_range"))
        #expect(!root.contains("seeding.shuffle_seeds"))
        #expect(try root.string("input_dir") == "a,b")
        #expect(composed.overrides.count == 7)
    }

    @Test func programmaticOverridesTakeWholeTreesAndRecordTheirCommandLineForm() throws {
        let policy: ConfigNode = [
            "_target_": "ProbabilisticPolicyComposer",
            "networks": [["_target_": "FlattenConcatPolicyNet", "non_lin": "Tanh", "hidden_units": [64, 64]]],
            "note": "it's, odd: ${env.name}",
        ]
        let override = Override(key: "model.policy", value: policy)
        #expect(try Override(parsing: override.text).value == .single(policy))
        let composed = try composer.compose(
            rootConfig: "conf_train",
            overrides: [
                override, Override(.forceAdd, key: "algorithm.lr", value: 0.01), Override(parsing: "algorithm=a2c"),
            ])
        #expect(
            try composed.root.section("model.policy.networks.0.hidden_units").elements().map { try $0.int() } == [
                64, 64,
            ])
        #expect(try composed.root.string("model.policy.note") == "it's, odd: CartPole-v1")
        #expect(try composed.root.double("algorithm.lr") == 0.01)
        #expect(composed.choice("algorithm") == "a2c")
        #expect(composed.overrides[1] == "++algorithm.lr=0.01")
    }

    @Test func groupsCanBeChangedDeselectedAndAppended() throws {
        let composed = try composer.compose(
            rootConfig: "conf_train",
            overrides: [
                "runner=dev", "~wrappers", "+experiment=cartpole_ppo_wrappers", "++critic=template_state", "model=null",
            ])
        #expect(composed.choice("model") == nil)
        #expect(composed.choice("runner") == "dev")
        #expect(composed.choice("algorithm_runner") == "ppo-dev")
        #expect(try composed.root.int("runner.concurrency") == 2)
        #expect(composed.choice("wrappers") == nil)
        #expect(composed.choice("critic") == "template_state")
    }

    @Test func aMisspelledKeyNamesItAndSuggestsTheNearest() {
        let expected = ConfigError.keyNotFound(path: "algorithm.lrr", suggestion: "algorithm.lr")
        #expect(throws: expected) {
            try composer.compose(rootConfig: "conf_train", overrides: ["algorithm.lrr=0.1"])
        }
        #expect(expected.description == "algorithm.lrr: key not found. Did you mean algorithm.lr?")
        #expect(throws: ConfigError.keyNotFound(path: "algoritm", suggestion: "algorithm")) {
            try composer.compose(rootConfig: "conf_train", overrides: ["algoritm=ppo"])
        }
        #expect(throws: ConfigError.keyNotFound(path: "runner.completely_unrelated_name", suggestion: nil)) {
            try composer.compose(overrides: ["~runner.completely_unrelated_name"])
        }
    }

    @Test func aWrongGroupOptionListsTheOptionsAndSuggestsTheNearest() throws {
        let expected = ConfigError.groupOptionNotFound(
            group: "algorithm", option: "ppp", available: ["a2c", "bc", "es", "impala", "ppo", "sac", "sacfd"],
            suggestion: "ppo")
        #expect(throws: expected) { try composer.compose(rootConfig: "conf_train", overrides: ["algorithm=ppp"]) }
        #expect(
            expected.description
                == "Cannot find 'ppp' in config group 'algorithm'. Available options: a2c, bc, es, impala, ppo, sac, sacfd. Did you mean ppo?"
        )
    }

    @Test func aMissingRootConfigListsTheRootsAndSuggestsTheNearest() {
        #expect(
            throws: ConfigError.rootConfigNotFound(
                name: "conf_trian", available: ["conf_rollout", "conf_train"], suggestion: "conf_train")
        ) {
            try composer.compose(rootConfig: "conf_trian")
        }
        #expect(throws: Never.self) { try composer.compose(rootConfig: "conf_train.yaml") }
    }

    @Test func misuseOfAddAndGroupOverridesIsExplained() {
        #expect(throws: ConfigError.keyAlreadyExists(path: "algorithm.lr")) {
            try composer.compose(rootConfig: "conf_train", overrides: ["+algorithm.lr=1"])
        }
        #expect(throws: ConfigError.groupNotInDefaults(group: "experiment")) {
            try composer.compose(rootConfig: "conf_train", overrides: ["experiment=cartpole_ppo_wrappers"])
        }
        #expect(throws: ConfigError.self) {
            try composer.compose(rootConfig: "conf_train", overrides: ["+algorithm=a2c"])
        }
        #expect(throws: ConfigError.sweepWithoutMultirun(override: "algorithm.lr=0.1,0.2")) {
            try composer.compose(rootConfig: "conf_train", overrides: ["algorithm.lr=0.1,0.2"])
        }
        #expect(throws: ConfigError.self) {
            try composer.compose(rootConfig: "conf_train", overrides: ["algorithm.lr.deeper=1"])
        }
    }
}
