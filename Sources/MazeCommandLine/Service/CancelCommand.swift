import ArgumentParser

/// `maze cancel ID`: stops a queued or running experiment.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a queued or running experiment; a running one stops at the learner's next update."
    )

    @Argument(help: "The experiment id printed by `maze submit`, e.g. exp-0001.")
    var id: String

    @OptionGroup var learner: LearnerAddressOptions

    func run() throws {
        let previous = try learner.withClient { try $0.cancel(id) }
        print("cancelled \(id) (was \(previous.rawValue))")
    }
}
