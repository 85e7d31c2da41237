import Testing

@testable import MazeTrain

/// Best-model selection counts epochs since the last improvement and stops once patience is used up.
@Suite struct BestModelSelectionTests {
    @Test func stopsAfterPatienceEpochsWithoutImprovement() {
        var selection = BestModelSelection(patience: 2)
        var improved: [Bool] = []
        var stopped: [Bool] = []
        for evaluation in [10.0, 10, 11, 5, 3] {
            improved.append(selection.update(evaluation))
            stopped.append(selection.shouldStop)
        }
        #expect(improved == [true, false, true, false, false])
        #expect(stopped == [false, false, false, false, true])
        #expect(selection.best == 11)
    }

    @Test func zeroPatienceNeverStops() {
        var selection = BestModelSelection(patience: 0)
        for evaluation in [1.0] + Array(repeating: 0, count: 50) { _ = selection.update(evaluation) }
        #expect(!selection.shouldStop)
        #expect(selection.epochsWithoutImprovement == 50)
    }
}
