import MazeCore

/// Why an actor worker cannot build an experiment, as it reports it to the learner and `maze status` shows it: the
/// error, and for a name its executable does not register, where such names come from.
struct AssignmentBuildError: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        if case MazeError.unknownName = error {
            description =
                "\(error) (not registered in this actor's executable: run the actors of this experiment with "
                + "the `maze` built with it, see docs/WRITING_ENVS.md)"
        } else {
            description = String(describing: error)
        }
    }
}
