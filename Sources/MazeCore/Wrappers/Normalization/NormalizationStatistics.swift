import Foundation

/// How one observation entry is normalized (Maze's normalization strategies).
public enum NormalizationStrategy: String, Sendable, Hashable, Codable {
    /// `(x - mean) / std`: Maze's MeanZeroStdOneObservationNormalizationStrategy.
    case meanZeroStdOne
    /// `(x - min) / (max - min)`: Maze's RangeZeroOneObservationNormalizationStrategy.
    case rangeZeroOne

    private static let mazeNames: [(String, NormalizationStrategy)] = [
        ("MeanZeroStdOneObservationNormalizationStrategy", .meanZeroStdOne),
        ("RangeZeroOneObservationNormalizationStrategy", .rangeZeroOne),
    ]

    /// The strategy for Maze's class name or path (`...MeanZeroStdOneObservationNormalizationStrategy`).
    public init(mazeName: String) throws(MazeError) {
        let name = mazeName.split(separator: ".").last.map(String.init) ?? mazeName
        if let match = Self.mazeNames.first(where: { $0.0 == name }) {
            self = match.1
        } else if let strategy = NormalizationStrategy(rawValue: name) {
            self = strategy
        } else {
            let nearest = Self.mazeNames.min {
                NearestMatch.editDistance(name, $0.0) < NearestMatch.editDistance(name, $1.0)
            }
            throw .unknownName(kind: "normalization strategy", name: mazeName, suggestion: nearest?.0)
        }
    }
}

/// The normalization of one observation entry: strategy, statistics, optional clipping.
///
/// Statistics hold one value (axis `nil`: over all elements) or one per element (axis `[0]`).
public struct EntryNormalization: Sendable, Hashable, Codable {
    public var strategy: NormalizationStrategy
    /// Mean (meanZeroStdOne) or minimum (rangeZeroOne), one value or one per element.
    public var shift: [Float]
    /// Standard deviation or maximum − minimum, one value or one per element.
    public var scale: [Float]
    public var clipLow: Float?
    public var clipHigh: Float?

    public init(
        strategy: NormalizationStrategy, shift: [Float], scale: [Float], clipLow: Float? = nil, clipHigh: Float? = nil
    ) {
        self.strategy = strategy
        self.shift = shift
        self.scale = scale
        self.clipLow = clipLow
        self.clipHigh = clipHigh
    }

    /// Normalizes `values` in place.
    func apply(to values: UnsafeMutableBufferPointer<Float>) {
        let perElement = shift.count > 1
        for index in values.indices {
            let statistic = perElement ? index : 0
            var value = (values[index] - shift[statistic]) / max(scale[statistic], Self.minimumScale)
            if let clipLow { value = max(value, clipLow) }
            if let clipHigh { value = min(value, clipHigh) }
            values[index] = value
        }
    }

    /// Guards against constant observations (zero spread) producing infinities.
    static let minimumScale: Float = 1e-8
}

/// The normalization of every observation entry: what is saved with the model and loaded with it.
public struct NormalizationStatistics: Sendable, Hashable, Codable {
    public var entries: [String: EntryNormalization]

    public init(entries: [String: EntryNormalization]) { self.entries = entries }

    /// Writes the statistics as JSON to `url`.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do { try encoder.encode(self).write(to: url) } catch {
            throw MazeError.io("cannot write normalization statistics to \(url.path): \(error)")
        }
    }

    /// Reads statistics written by ``save(to:)``.
    public static func load(from url: URL) throws -> NormalizationStatistics {
        do { return try JSONDecoder().decode(NormalizationStatistics.self, from: Data(contentsOf: url)) } catch {
            throw MazeError.io("cannot read normalization statistics from \(url.path): \(error)")
        }
    }
}
