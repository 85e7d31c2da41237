import MazeTensor
import MazeWire
import Testing

@testable import MazeDistributed

/// The learner publishes its weights after every update by writing them into the tensors of the publication before
/// last: in place where a tensor has the parameter's shape and nobody else holds it, anew otherwise, and never
/// changing what an earlier publication that is still held (by the publisher, for actors that join) carries.
@Suite struct WeightsCodingTests {
    private static func parameters(_ scale: Float, biasCount: Int = 2) throws -> ParameterStore {
        var store = ParameterStore()
        store["policy.weight"] = try Tensor(shape: [2, 3], scalars: (0..<6).map { Float($0) * scale })
        store["policy.bias"] = try Tensor(shape: [biasCount], scalars: (0..<biasCount).map { Float($0) - scale })
        return store
    }

    private static func address(_ tensor: WireTensor?) -> UnsafeRawPointer? {
        tensor?.bytes.withUnsafeBytes { $0.baseAddress }
    }

    @Test func writingIntoUnsharedTensorsKeepsTheirStorage() throws {
        var tensors = try WeightsCoding.wireTensors(Self.parameters(1))
        let storage = Self.address(tensors["policy.weight"])
        try WeightsCoding.write(Self.parameters(2), into: &tensors)
        #expect(tensors == (try WeightsCoding.wireTensors(Self.parameters(2))))
        #expect(Self.address(tensors["policy.weight"]) == storage)
    }

    @Test func aPublicationStillHeldKeepsItsValues() throws {
        var tensors = try WeightsCoding.wireTensors(Self.parameters(1))
        let published = tensors
        try WeightsCoding.write(Self.parameters(3), into: &tensors)
        #expect(published == (try WeightsCoding.wireTensors(Self.parameters(1))))
        #expect(tensors == (try WeightsCoding.wireTensors(Self.parameters(3))))
    }

    @Test func namesAndShapesFollowTheParameters() throws {
        var tensors = try WeightsCoding.wireTensors(Self.parameters(1))
        tensors["stale.weight"] = try WireTensor(shape: [1], values: [Float(9)])
        try WeightsCoding.write(Self.parameters(1, biasCount: 4), into: &tensors)
        #expect(tensors == (try WeightsCoding.wireTensors(Self.parameters(1, biasCount: 4))))
        #expect(tensors["policy.bias"]?.shape == [4])
    }
}
