/// Keeps the best evaluation so far and counts the epochs since it improved (Maze's
/// BestModelSelection): training stops once `patience` epochs passed without a better model.
public struct BestModelSelection: Sendable, Equatable {
    /// Epochs without improvement before ``shouldStop``; 0 never stops.
    public let patience: Int
    /// The best evaluation so far.
    public private(set) var best: Double?
    /// Evaluations since the last improvement.
    public private(set) var epochsWithoutImprovement = 0

    public init(patience: Int) {
        self.patience = patience
    }

    /// Records an evaluation; returns whether it is a new best.
    public mutating func update(_ evaluation: Double) -> Bool {
        guard let best, evaluation <= best else {
            best = evaluation
            epochsWithoutImprovement = 0
            return true
        }
        epochsWithoutImprovement += 1
        return false
    }

    /// Whether the patience is used up.
    public var shouldStop: Bool {
        patience > 0 && epochsWithoutImprovement >= patience
    }
}
