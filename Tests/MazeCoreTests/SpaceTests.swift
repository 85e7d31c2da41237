import MazeCore
import Testing

@Suite struct SpaceTests {
    @Test func samplesLieInTheirSpacesAndRepeatForTheSameSeed() throws {
        let space: DictSpace = [
            "d": .discrete(5), "md": .multiDiscrete([2, 7]), "mb": .multiBinary(3),
            "box": .box(try BoxSpace(low: [-1, 0], high: [1, 10])),
            "open": .box(try BoxSpace(low: -.infinity, high: .infinity, shape: [2, 2])),
            "ibox": .box(try BoxSpace(low: 0, high: 3, shape: [3], dtype: .int64)),
        ]
        var first = MazeRandom(seed: 7)
        var second = MazeRandom(seed: 7)
        for _ in 0..<200 {
            let sample = space.sample(using: &first)
            #expect(space.contains(sample))
            #expect(sample == space.sample(using: &second))
        }
    }

    @Test func containsRejectsWrongShapesTypesAndBounds() throws {
        let box = Space.box(try BoxSpace(low: 0, high: 1, shape: [2]))
        #expect(!box.contains(NDArray(floats: [0.5])))
        #expect(!box.contains(NDArray(floats: [0.5, 1.5])))
        #expect(box.contains(NDArray(floats: [0.5, 1])))
        #expect(!Space.discrete(3).contains(.scalar(3)))
        #expect(!Space.discrete(3).contains(.scalar(Float(1))))
        #expect(!Space.multiBinary(2).contains(NDArray(ints: [0, 2])))
        #expect(!Space.discrete(3).contains(NDArray(ints: [], shape: [])))
        let single: DictSpace = ["a": .discrete(2)]
        #expect(!single.contains(["b": .scalar(0)]))
    }

    @Test func flattenAndUnflattenRoundTripInKeyOrder() throws {
        let space: DictSpace = ["b": .box(try BoxSpace(low: 0, high: 9, shape: [2, 2])), "a": .discrete(4)]
        let value: NamedArrays = ["a": .scalar(3), "b": NDArray(floats: [1, 2, 3, 4], shape: [2, 2])]
        let row = try space.flatten(value)
        #expect(row == [1, 2, 3, 4, 3])
        #expect(space.flatOffsets == [0, 4])
        let back = row.withUnsafeBufferPointer { space.unflatten($0) }
        #expect(back["a"] == .scalar(3))
        #expect(back["b"] == NDArray(floats: [1, 2, 3, 4], shape: [2, 2]))
        #expect(throws: MazeError.self) { try space.flatten(["a": .scalar(1)]) }
    }

    @Test func badBoxBoundsAreTypedErrors() {
        #expect(throws: MazeError.self) { try BoxSpace(low: [0, 1], high: [1]) }
        #expect(throws: MazeError.self) { try BoxSpace(low: [2], high: [1]) }
    }
}
