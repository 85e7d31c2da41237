import Testing

@testable import MazeConfig

@Suite("YAML reading and writing")
struct YAMLTests {
    @Test func plainScalarsResolveLikeOmegaConf() throws {
        let node = try ConfigNode(
            yaml: """
                a: 1
                b: 1e-3
                c: 0.00025
                d: ~
                e: "1"
                f: true
                g: yes
                h: CartPole-v1
                i: [1, two, 3.5]
                j: 1_000
                """)
        #expect(node["a"] == .int(1))
        #expect(node["b"] == .double(0.001))
        #expect(node["c"] == .double(0.00025))
        #expect(node["d"] == .null)
        #expect(node["e"] == .string("1"))
        #expect(node["f"] == .bool(true))
        #expect(node["g"] == .string("yes"))
        #expect(node["h"] == .string("CartPole-v1"))
        #expect(node["i"] == .list([.int(1), .string("two"), .double(3.5)]))
        #expect(node["j"] == .int(1000))
    }

    @Test func writtenYAMLReadsBackIdenticallyInTheSameKeyOrder() throws {
        let tree = ConfigNode.map(
            ConfigMap([
                ("zeta", .string("last-but-first")),
                (
                    "alpha",
                    .map(
                        ConfigMap([
                            ("number_like", .string("1e-3")), ("bool_like", .string("true")),
                            ("null_like", .string("~")),
                            ("colon", .string("a: b")), ("quote", .string("it's")), ("newline", .string("two\nlines")),
                            ("empty", .string("")), ("interp", .string("${a.b}")), ("lr", .double(0.00025)),
                            ("inf", .double(.infinity)), ("none", .null), ("empty_map", .emptyMap),
                            ("empty_list", .list([])),
                        ]))
                ),
                (
                    "networks",
                    .list([
                        .map(
                            ConfigMap([("_target_", .string("Net")), ("hidden_units", .list([.int(256), .int(256)]))])),
                        .list([.int(1), .bool(false)]),
                    ])
                ),
            ]))
        let text = tree.yaml
        #expect(try ConfigNode(yaml: text) == tree)
        #expect(text.hasPrefix("zeta: last-but-first\nalpha:\n"))
        #expect(text.contains("networks:\n- _target_: Net\n  hidden_units:\n  - 256\n"))
    }

    @Test func syntaxErrorsNameTheFileAndLine() {
        do {
            _ = try ConfigNode(yaml: "a: 1\nb: [1, 2\nc: 3\n", file: "conf/bad.yaml")
            Issue.record("expected a syntax error")
        } catch let error as ConfigError {
            guard case .yamlSyntax(let file, let line, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(file == "conf/bad.yaml")
            #expect(line == 3)
            #expect(error.description.hasPrefix("conf/bad.yaml:3:"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func packageDirectiveIsReadFromTheHeaderOnly() {
        #expect(YAMLReader.packageDirective(in: "# comment\n# @package _global_\na: 1\n") == "_global_")
        #expect(YAMLReader.packageDirective(in: "a: 1\n# @package env\n") == nil)
    }
}
