/// Keeps the best evaluation so far and counts the epochs since it improved (Maze's
/// BestModelSelection): training stops once `patience` epochs passed without a better model.
package struct BestModelSelection: Sendable, Equatable {
    /// Epochs without improvement before ``shouldStop``; 0 never stops.
    package let patience: Int
    /// The best evaluation so far.
    package private(set) var best: Double?
    /// Evaluations since the last improvement.
    package private(set) var epochsWithoutImprovement = 0

    package init(patience: Int) {
        self.patience = patience
    }

    /// Records an evaluation; returns whether it is a new best.
    package mutating func update(_ evaluation: Double) -> Bool {
        guard let best, evaluation <= best else {
            best = evaluation
            epochsWithoutImprovement = 0
            return true
        }
        epochsWithoutImprovement += 1
        return false
    }

    /// Whether the patience is used up.
    package var shouldStop: Bool {
        patience > 0 && epochsWithoutImprovement >= patience
    }
}
