import Testing

@testable import MazeService

@Suite("Flow control credits")
struct BatchCreditsTests {
    @Test func theBudgetIsOneUpdatePerVersionOfAcceptedLag() {
        #expect(BatchCredits.budget(batchesPerUpdate: 4, staleness: .boundedLag(2)) == 8)
        #expect(BatchCredits.budget(batchesPerUpdate: 4, staleness: .boundedLag(0)) == 4)
        #expect(BatchCredits.budget(batchesPerUpdate: 4, staleness: .currentVersionOnly) == 4)
        #expect(BatchCredits.budget(batchesPerUpdate: 4, staleness: .boundedLag(.max)) == 64)
    }

    @Test func creditsAreSharedAndComeBackWithEachDisposedBatch() {
        var credits = BatchCredits()
        credits.budget = 5
        credits.register("a", disposed: 0)
        credits.register("b", disposed: 7)  // batches of an earlier registration do not count
        let first = credits.grant(disposed: ["b": 7], live: ["a", "b"])
        #expect(first.map(\.actor) == ["a", "b"])
        #expect(first.map(\.limit).reduce(0, +) == 5)
        #expect(credits.grant(disposed: ["b": 7], live: ["a", "b"]).isEmpty)  // nothing came back
        // Two of "a"'s batches were trained on: two credits return and go out again, to whoever holds the fewest.
        let limitA = credits.limit(of: "a") ?? 0
        let second = credits.grant(disposed: ["a": 2, "b": 7], live: ["a", "b"])
        #expect(credits.limit(of: "a")! + credits.limit(of: "b")! == 7)
        #expect(!second.isEmpty)
        #expect(credits.limit(of: "a")! >= limitA)
        // An actor that goes silent is forgotten; its credits go to the others.
        _ = credits.grant(disposed: ["a": 2, "b": 7], live: ["b"])
        #expect(credits.limit(of: "a") == nil)
        #expect(credits.limit(of: "b") == 5)
    }

    @Test func noCreditsWithoutABudget() {
        var credits = BatchCredits()
        credits.register("a", disposed: 0)
        #expect(credits.grant(disposed: [:], live: ["a"]).isEmpty)
        #expect(credits.limit(of: "a") == nil)  // unlimited: heartbeats carry no credits
    }
}
