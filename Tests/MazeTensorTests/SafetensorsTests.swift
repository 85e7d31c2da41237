import Foundation
import MazeTensor
import MazeTestSupport
import Testing

@Suite("Safetensors checkpoints")
struct SafetensorsTests {
    static let metadata = ["format": "maze", "policy_version": "7"]

    /// Must match `reference_tensors` in tools/safetensors_interop.py: exact binary fractions, negative
    /// zero, the smallest subnormal and the largest finite Float32.
    static func referenceTensors() throws -> ParameterStore {
        ParameterStore([
            "policy.0.weight": try Tensor(shape: [3, 4], scalars: (0..<12).map { (Float($0) - 5) * 0.125 }),
            "policy.0.bias": try Tensor(
                shape: [3], scalars: [-0.0, Float.leastNonzeroMagnitude, Float.greatestFiniteMagnitude]),
            "value.scale": Tensor(2.5),
            "lstm.cell": try Tensor(shape: [2, 1, 3], scalars: (0..<6).map { Float.pow2($0 - 3) }),
        ])
    }

    /// Bit-exact comparison (Float `==` would equate -0 and 0).
    private func expectIdentical(
        _ actual: ParameterStore, _ expected: ParameterStore, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(actual.names == expected.names, sourceLocation: sourceLocation)
        for name in expected.names {
            let (got, want) = (try actual.tensor(named: name), try expected.tensor(named: name))
            #expect(got.shape == want.shape, "\(name)", sourceLocation: sourceLocation)
            #expect(
                got.scalars.map(\.bitPattern) == want.scalars.map(\.bitPattern), "\(name)",
                sourceLocation: sourceLocation)
        }
    }

    private func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("maze-tensor-\(UUID().uuidString).safetensors")
    }

    @Test func roundTripKeepsEveryBitAndTheMetadata() throws {
        let archive = SafetensorsArchive(tensors: try Self.referenceTensors(), metadata: Self.metadata)
        let data = try archive.encoded()
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        let decoded = try SafetensorsArchive(data: data)
        try expectIdentical(decoded.tensors, archive.tensors)
        #expect(decoded.metadata == Self.metadata)
    }

    @Test func swiftFileIsReadByPythonSafetensors() throws {
        try PythonInterop.requireModules(["numpy", "safetensors"])
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try SafetensorsArchive(tensors: try Self.referenceTensors(), metadata: Self.metadata).write(to: url)
        let exit = try PythonInterop.start(script: "safetensors_interop.py", arguments: ["check", url.path])
            .waitForExit(seconds: 60)
        #expect(exit.succeeded, "\(exit.errorOutput)")
    }

    @Test func pythonFileIsReadBySwift() throws {
        try PythonInterop.requireModules(["numpy", "safetensors"])
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        let exit = try PythonInterop.start(script: "safetensors_interop.py", arguments: ["write", url.path])
            .waitForExit(seconds: 60)
        try #require(exit.succeeded, "\(exit.errorOutput)")
        let archive = try SafetensorsArchive(contentsOf: url)
        try expectIdentical(archive.tensors, try Self.referenceTensors())
        #expect(archive.metadata == Self.metadata)
    }

    /// Corruptions of a valid file, each of which must be rejected with a typed error.
    static let corruptions: [(String, @Sendable (Data) -> Data)] = [
        ("truncated length", { $0.prefix(5) }),
        (
            "header longer than file",
            {
                var data = $0
                data[6] = 1
                return data
            }
        ),
        ("data cut short", { $0.dropLast(4) }),
        (
            "header not JSON",
            {
                var data = $0
                data[8] = UInt8(ascii: "x")
                return data
            }
        ),
        (
            "unsupported dtype",
            { Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "F32", with: "I64").utf8) }
        ),
    ]

    @Test(arguments: 0..<corruptions.count)
    func malformedFilesAreRejected(index: Int) throws {
        let valid = try SafetensorsArchive(tensors: ParameterStore(["w": try Tensor(shape: [2], scalars: [1, 2])]))
            .encoded()
        let (name, corrupt) = Self.corruptions[index]
        #expect(throws: TensorError.self, "\(name)") { try SafetensorsArchive(data: corrupt(valid)) }
    }
}

extension Float {
    fileprivate static func pow2(_ exponent: Int) -> Float {
        Float(sign: .plus, exponent: exponent, significand: 1)
    }
}
