import ArgumentParser
import Foundation
import MazeWire

/// `maze status`: the learner's experiments with their progress and the service's health figures.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List a learner's experiments: state, epoch, best return, actors, throughput, policy lag."
    )

    @OptionGroup var learner: LearnerAddressOptions

    func run() throws {
        let experiments = try learner.withClient { try $0.status() }
        guard !experiments.isEmpty else {
            print("no experiments; queue one with `maze submit`")
            return
        }
        print(Self.row(["ID", "STATE", "EPOCH", "BEST", "ACTORS", "STEPS/S", "SAMPLES/S", "LAG MEAN", "LAG P99"]))
        for experiment in experiments {
            print(
                Self.row([
                    experiment.experimentID, experiment.state.rawValue, String(experiment.epoch),
                    experiment.bestReturn.map { String(format: "%.2f", $0) } ?? "-", String(experiment.actors),
                    String(format: "%.0f", experiment.envStepsPerSecond),
                    String(format: "%.0f", experiment.learnerSamplesPerSecond),
                    String(format: "%.2f", experiment.policyLag.mean), String(experiment.policyLag.p99),
                ]))
        }
        for experiment in experiments {
            if let failure = experiment.failure { print("\(experiment.experimentID) failed: \(failure)") }
            for actor in experiment.actorFailures {
                print("\(experiment.experimentID): actor \(actor.actorID) cannot work on it: \(actor.reason)")
            }
            if !experiment.rejectedBatches.isEmpty {
                let counts = experiment.rejectedBatches.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                print("\(experiment.experimentID) rejected trajectory frames: " + counts.joined(separator: ", "))
            }
        }
    }

    private static func row(_ cells: [String]) -> String {
        cells.map { $0.padding(toLength: max(10, $0.count + 1), withPad: " ", startingAt: 0) }.joined()
    }
}
