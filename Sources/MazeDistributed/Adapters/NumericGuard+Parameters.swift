import MazeService
import MazeTensor
import MazeTrain

extension NumericGuard {
    /// The name of the first parameter holding a NaN or an infinity, or `nil` if all are finite.
    static func nonFiniteParameter(in parameters: ParameterStore) -> String? {
        parameters.names.first { name in
            (try? parameters.tensor(named: name).scalars.allSatisfy(\.isFinite)) != true
        }
    }

    /// Why an update that produced `parameters` and `statistics` must be undone, or `nil` if it may stand.
    static func problem(parameters: ParameterStore, statistics: LearnerStatistics) -> String? {
        if !statistics.isFinite { return "the loss or a gradient norm is not finite" }
        return nonFiniteParameter(in: parameters).map { "parameter '\($0)' is not finite after the update" }
    }
}
