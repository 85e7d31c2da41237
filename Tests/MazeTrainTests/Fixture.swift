import Foundation

/// The numpy re-derivations under `Fixtures/` (written by the scripts in tools/), shared by the fixture tests.
enum Fixture {
    /// `Fixtures/<name>` decoded with snake-case keys; `nil` when it is missing or does not decode (the tests
    /// then fail on `#require`).
    static func load<File: Decodable>(_ type: File.Type, named name: String) -> File? {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let data = try? Data(contentsOf: url) else { return nil }
        return try? decoder.decode(type, from: data)
    }

    /// The largest element-wise difference; infinite when the lengths differ.
    static func maxDifference(_ lhs: [Float], _ rhs: [Float]) -> Float {
        lhs.count == rhs.count ? zip(lhs, rhs).map { abs($0 - $1) }.max() ?? 0 : .infinity
    }
}
