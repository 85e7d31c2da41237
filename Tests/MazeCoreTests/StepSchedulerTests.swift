import Testing

@testable import MazeCore

@Suite struct StepSchedulerTests {
    /// Runs one timing round in which parallel steps take `parallel` ns and sequential ones `sequential` ns.
    private func timingRound(_ scheduler: inout StepScheduler, parallel: UInt64, sequential: UInt64) -> [Bool] {
        var choices: [Bool] = []
        while scheduler.isTiming {
            let runsParallel = scheduler.nextStepRunsParallel()
            choices.append(runsParallel)
            scheduler.record(nanoseconds: runsParallel ? parallel : sequential, parallel: runsParallel)
        }
        return choices
    }

    @Test func timesBothWaysAndKeepsTheFasterUntilTheNextRound() {
        var scheduler = StepScheduler()
        let round = timingRound(&scheduler, parallel: 9_000, sequential: 1_500)
        #expect(round.count == 2 * StepScheduler.samples)
        #expect(round.filter { $0 }.count == StepScheduler.samples, "alternates between the two ways")
        let cheapSteps = (0..<StepScheduler.interval).map { _ in scheduler.nextStepRunsParallel() }
        #expect(cheapSteps.allSatisfy { !$0 })
        #expect(scheduler.isTiming, "measures again after the interval")

        _ = timingRound(&scheduler, parallel: 40_000, sequential: 70_000)
        let expensiveStep = scheduler.nextStepRunsParallel()
        #expect(expensiveStep && scheduler.lastChoiceWasParallel)
    }
}
