import MazeCore

/// A fixed table of standard normal floats that every party of an ES run generates from the same seed (Maze's
/// `SharedNoiseTable`, after Salimans et al. 2017, section 2.1): a perturbation `ε` of a `d`-parameter policy is
/// the slice `table[i ..< i + d]`, so it travels as the one integer `i` instead of `d` floats.
///
/// Threading: an immutable value; its storage is shared by copies.
package struct SharedNoiseTable: Sendable {
    /// The seed Maze's (and OpenAI's) table is generated from.
    package static let defaultSeed: UInt64 = 123

    /// The table's floats, N(0, 1).
    package let values: [Float]

    /// A table of `count` floats drawn from `MazeRandom(seed:)` (`4 · count` bytes).
    package init(count: Int, seed: UInt64 = Self.defaultSeed) {
        var random = MazeRandom(seed: seed)
        values = (0..<max(0, count)).map { _ in Float(random.nextNormal()) }
    }

    /// A table holding `values` (tests, fixtures).
    package init(values: [Float]) {
        self.values = values
    }

    /// A start index drawn uniformly so that a slice of `dimension` floats fits: `0 ... count − dimension`.
    package func sampleIndex(dimension: Int, random: inout MazeRandom) throws -> Int {
        guard dimension > 0, dimension <= values.count else {
            throw TrainError.invalidSetting(
                key: "runner.shared_noise_table_size",
                problem: "the table holds \(values.count) floats, the policy has \(dimension) parameters")
        }
        return random.nextInt(below: values.count - dimension + 1)
    }

    /// The perturbation `ε` at `index`: `dimension` consecutive floats.
    package func noise(at index: Int, dimension: Int) -> ArraySlice<Float> {
        values[index..<(index + dimension)]
    }
}
