extension TrajectoryBatch {
    /// The sub-steps played in each cycle of a structured batch, one count `1...S` per row `t · B + b`: a cycle
    /// ends at its first sub-step whose `terminated` or `truncated` is set (the env was reset there), else after
    /// all S. Empty for a flat batch.
    ///
    /// Reads only tensors the initializer checked to be `b1 [T, B, S]` and multiplies no sizes.
    public func playedSubSteps() throws(WireError) -> [Int] {
        guard let subSteps else { return [] }
        let (terminated, truncated) = (try self.terminated.bools(), try self.truncated.bools())
        return (0..<terminated.count / subSteps).map { row in
            let cycle = row * subSteps..<(row + 1) * subSteps
            let end = cycle.first { terminated[$0] || truncated[$0] }
            return end.map { $0 - cycle.lowerBound + 1 } ?? subSteps
        }
    }
}
