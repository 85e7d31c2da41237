import Testing

@testable import MazeConfig

/// A test-only component standing in for the environments and algorithms other modules register.
private struct Scaler: Equatable {
    let factor: Double
}

@Suite("Component registry")
struct ComponentRegistryTests {
    private func registry() throws -> ComponentRegistry<Scaler> {
        var registry = ComponentRegistry<Scaler>(kind: "scaler")
        try registry.register("LinearScaler") { Scaler(factor: try $0.double("factor")) }
        try registry.register("UnitScaler") { _ in Scaler(factor: 1) }
        return registry
    }

    @Test func buildsByTargetAndAcceptsMazesDottedPaths() throws {
        let config = try ConfigNode(
            yaml: """
                scaler: {_target_: LinearScaler, factor: 2}
                maze_style: {_target_: maze.core.scalers.UnitScaler}
                """)
        let root = ConfigSection(root: config)
        #expect(try registry().make(from: root.section("scaler")) == Scaler(factor: 2))
        #expect(try registry().make(from: root.section("maze_style")) == Scaler(factor: 1))
        #expect(try registry().names == ["LinearScaler", "UnitScaler"])
    }

    @Test func unknownNamesListTheRegisteredOnesAndSuggestTheNearest() throws {
        let section = ConfigSection(root: try ConfigNode(yaml: "_target_: LinearScalar\n"))
        #expect(
            throws: ConfigError.unknownComponent(
                kind: "scaler", name: "LinearScalar", available: ["LinearScaler", "UnitScaler"],
                suggestion: "LinearScaler")
        ) {
            try registry().make(from: section)
        }
    }

    @Test func builderErrorsNameTheFullKeyPathAndDuplicatesAreRejected() throws {
        let config = ConfigSection(
            root: try ConfigNode(yaml: "model: {scaler: {_target_: LinearScaler, factor: abc}}\n"))
        #expect(throws: ConfigError.typeMismatch(path: "model.scaler.factor", expected: "a number", got: "\"abc\"")) {
            try registry().make(from: config.section("model.scaler"))
        }
        var scalers = try registry()
        #expect(throws: ConfigError.duplicateComponent(kind: "scaler", name: "UnitScaler")) {
            try scalers.register("UnitScaler") { _ in Scaler(factor: 0) }
        }
    }
}
