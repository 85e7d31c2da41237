import Testing

@testable import MazeConfig

@Suite("ConfigNode and typed access")
struct ConfigNodeTests {
    private let tree = ConfigNode.map(
        ConfigMap([
            ("algorithm", .map(ConfigMap([("lr", .string("abc")), ("gamma", .double(0.98)), ("n_epochs", .int(3))]))),
            ("tags", .list([.string("a"), .string("b")])),
        ]))

    @Test func typedReadsReturnValuesAndWidenIntegers() throws {
        let root = ConfigSection(root: tree)
        #expect(try root.double("algorithm.gamma") == 0.98)
        #expect(try root.double("algorithm.n_epochs") == 3)
        #expect(try root.int("algorithm.n_epochs") == 3)
        #expect(try root.section("tags").elements().map { try $0.string() } == ["a", "b"])
        #expect(try root.section("tags.1").string() == "b")
    }

    @Test func typeErrorsNameTheFullKeyPath() throws {
        let algorithm = try ConfigSection(root: tree).section("algorithm")
        #expect(throws: ConfigError.typeMismatch(path: "algorithm.lr", expected: "a number", got: "\"abc\"")) {
            try algorithm.double("lr")
        }
        let error = ConfigError.typeMismatch(path: "algorithm.lr", expected: "a number", got: "\"abc\"")
        #expect(error.description == "algorithm.lr: expected a number, got \"abc\"")
    }

    @Test func mapEntriesKeepDottedKeysWhole() throws {
        let wrappers = ConfigSection(
            root: try ConfigNode(
                yaml: """
                    wrappers:
                      maze.core.wrappers.time_limit_wrapper.TimeLimitWrapper: {max_episode_steps: 200}
                      MazeEnvMonitoringWrapper: {action_logging: true}
                    """))
        let entries = try wrappers.section("wrappers").entries()
        #expect(
            entries.map(\.key) == [
                "maze.core.wrappers.time_limit_wrapper.TimeLimitWrapper", "MazeEnvMonitoringWrapper",
            ])
        #expect(try entries[0].int("max_episode_steps") == 200)
        #expect(
            throws: ConfigError.typeMismatch(
                path: "wrappers.MazeEnvMonitoringWrapper.action_logging",
                expected: "an integer", got: "true")
        ) {
            try entries[1].int("action_logging")
        }
    }

    @Test func nullableSettingsReadAsAbsent() throws {
        let root = ConfigSection(root: try ConfigNode(yaml: "seeding: {env_base_seed: ~, agent_base_seed: 5}\n"))
        #expect(root.nonNull("seeding.env_base_seed") == nil)
        #expect(root.nonNull("seeding.missing") == nil)
        #expect(try root.nonNull("seeding.agent_base_seed")?.int() == 5)
    }

    @Test func missingKeysSuggestTheNearestKey() {
        #expect(throws: ConfigError.keyNotFound(path: "algorithm.gama", suggestion: "algorithm.gamma")) {
            try ConfigSection(root: tree).double("algorithm.gama")
        }
    }

    @Test func mapsKeepInsertionOrderWhenValuesAreReplaced() {
        var map = ConfigMap([("b", .int(1)), ("a", .int(2))])
        map["b"] = .int(3)
        map["c"] = .null
        map["a"] = nil
        #expect(map.keys == ["b", "c"])
        #expect(map["b"] == .int(3))
    }

    @Test func mergeIsDeepForMapsAndReplacesEverythingElse() {
        let base = ConfigNode.map(
            ConfigMap([
                ("runner", .map(ConfigMap([("n", .int(1)), ("list", .list([.int(1), .int(2)]))])))
            ]))
        let overlay = ConfigNode.map(
            ConfigMap([
                ("runner", .map(ConfigMap([("list", .list([.int(9)])), ("extra", .bool(true))])))
            ]))
        let merged = base.merging(overlay)
        #expect(merged.node(at: ["runner", "n"]) == .int(1))
        #expect(merged.node(at: ["runner", "list"]) == .list([.int(9)]))
        #expect(merged.node(at: ["runner"])?.mapValue?.keys == ["n", "list", "extra"])
    }
}
