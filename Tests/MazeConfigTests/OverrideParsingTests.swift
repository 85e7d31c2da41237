import Testing

@testable import MazeConfig

@Suite("Override parsing")
struct OverrideParsingTests {
    @Test func prefixesSelectTheAction() throws {
        #expect(try Override(parsing: "algorithm.lr=0.001").action == .change)
        #expect(try Override(parsing: "+algorithm.new=1").action == .add)
        #expect(try Override(parsing: "++algorithm.lr=1").action == .forceAdd)
        let delete = try Override(parsing: "~algorithm.lr")
        #expect(delete.action == .delete)
        #expect(delete.key == "algorithm.lr")
        #expect(delete.value == nil)
    }

    @Test(arguments: [
        ("a=1", ConfigNode.int(1)),
        ("a=-3", .int(-3)),
        ("a=1e-3", .double(0.001)),
        ("a=0.0005", .double(0.0005)),
        ("a=true", .bool(true)),
        ("a=False", .bool(false)),
        ("a=null", .null),
        ("a=CartPole-v1", .string("CartPole-v1")),
        ("a='1,2'", .string("1,2")),
        ("a=\"quoted \\\" text\"", .string("quoted \" text")),
        ("a=", .string("")),
        ("a=[1, b, 2.5]", .list([.int(1), .string("b"), .double(2.5)])),
        ("a=[]", .list([])),
        ("a={x: 1, y: [true]}", .map(ConfigMap([("x", .int(1)), ("y", .list([.bool(true)]))]))),
        ("a=${algorithm}-${runner}", .string("${algorithm}-${runner}")),
        ("a=outputs/gym_env/2024", .string("outputs/gym_env/2024")),
    ])
    func valuesParseLikeHydra(text: String, expected: ConfigNode) throws {
        #expect(try Override(parsing: text).value == .single(expected))
    }

    @Test func topLevelCommasAreASweepKeepingTheWrittenText() throws {
        let override = try Override(parsing: "algorithm.lr=0.001, 5e-4")
        #expect(
            override.value
                == .sweep([
                    SweepElement(value: .double(0.001), text: "0.001"),
                    SweepElement(value: .double(0.0005), text: "5e-4"),
                ]))
        #expect(override.narrowed(toSweepElement: 1) == "algorithm.lr=5e-4")
        #expect(try Override(parsing: "a=[1,2]").value == .single(.list([.int(1), .int(2)])))
    }

    @Test func choiceAndRangeAreSweepsToo() throws {
        let jobs = try MultirunSweep.jobs(for: ["algorithm=choice(a2c, ppo)", "seed=range(0,6,2)", "x=choice(1)"])
        #expect(
            jobs.map(\.overrides) == [
                ["algorithm=a2c", "seed=0", "x=1"], ["algorithm=a2c", "seed=2", "x=1"],
                ["algorithm=a2c", "seed=4", "x=1"],
                ["algorithm=ppo", "seed=0", "x=1"], ["algorithm=ppo", "seed=2", "x=1"],
                ["algorithm=ppo", "seed=4", "x=1"],
            ])
        #expect(throws: ConfigError.self) { try Override(parsing: "seed=range(0,1.5)") }
        #expect(throws: ConfigError.self) { try Override(parsing: "seed=range(0,5,0)") }
        #expect(throws: ConfigError.self) { try Override(parsing: "seed=range(0,1000000)") }
    }

    @Test func intervalIsRefusedInsteadOfSplitAtItsComma() throws {
        #expect(throws: ConfigError.self) { try MultirunSweep.jobs(for: ["algorithm.lr=interval(0.0001,0.01)"]) }
        do {
            _ = try Override(parsing: "algorithm.lr=interval(0.0001,0.01)")
        } catch {
            #expect("\(error)".contains("interval(…) is a continuous search space"))
        }
        #expect(throws: ConfigError.self) { try Override(parsing: "a=shuffle(1,2)") }
        #expect(try Override(parsing: "a=intervals").value == .single(.string("intervals")))
    }

    @Test(arguments: ["algorithm.lr", "=1", "a.=1", "a b=1", "db@backup=mysql", "a=[1,2", "a='open", "a=x]"])
    func malformedOverridesAreRejected(text: String) {
        #expect(throws: ConfigError.self) { try Override(parsing: text) }
    }
}
