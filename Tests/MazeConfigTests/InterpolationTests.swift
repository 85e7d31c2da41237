import Testing

@testable import MazeConfig

@Suite("Interpolation")
struct InterpolationTests {
    private func resolve(_ yaml: String) throws -> ConfigNode {
        try InterpolationResolver(root: ConfigNode(yaml: yaml)).resolveAll()
    }

    @Test func aWholeValueReferenceKeepsTheReferencedType() throws {
        let node = try resolve(
            """
            base: {lr: 0.001, layers: [32, 32]}
            algorithm: {lr: '${base.lr}', layers: '${base.layers}', copy: '${base}'}
            """)
        #expect(node.node(at: ["algorithm", "lr"]) == .double(0.001))
        #expect(node.node(at: ["algorithm", "layers"]) == .list([.int(32), .int(32)]))
        #expect(node.node(at: ["algorithm", "copy", "lr"]) == .double(0.001))
    }

    @Test func referencesInsideStringsAreSplicedAsTextAndChainsResolve() throws {
        let node = try resolve(
            """
            env: {name: CartPole-v1}
            run: {name: 'run-${env.name}-${.seed}', seed: 7, label: '${run.name}!', escaped: '\\${env.name}'}
            """)
        #expect(node.node(at: ["run", "name"]) == .string("run-CartPole-v1-7"))
        #expect(node.node(at: ["run", "label"]) == .string("run-CartPole-v1-7!"))
        #expect(node.node(at: ["run", "escaped"]) == .string("${env.name}"))
    }

    @Test func cyclesAreReportedWithTheKeysInvolved() {
        #expect(throws: ConfigError.interpolationCycle(chain: ["a", "b", "c", "a"])) {
            try resolve("a: '${b}'\nb: 'x${c}'\nc: '${a}'\n")
        }
        #expect(throws: ConfigError.interpolationCycle(chain: ["a.self", "a.self"])) {
            try resolve("a: {self: '${a}'}\n")
        }
    }

    @Test func missingReferencesSuggestTheNearestKey() {
        #expect(
            throws: ConfigError.interpolationKeyNotFound(
                path: "model.lr", reference: "algorithm.lrr", suggestion: "algorithm.lr")
        ) {
            try resolve("algorithm: {lr: 1}\nmodel: {lr: '${algorithm.lrr}'}\n")
        }
    }

    @Test func mapsCannotBeEmbeddedInText() {
        #expect(throws: ConfigError.self) { try resolve("a: {b: 1}\nc: 'x-${a}'\n") }
    }
}
