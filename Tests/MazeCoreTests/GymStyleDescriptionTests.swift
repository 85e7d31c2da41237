import Testing

@testable import MazeCore

/// Spaces and arrays print as Gymnasium and numpy print them, never as Swift reflection dumps.
@Suite struct GymStyleDescriptionTests {
    @Test func spacesPrintLikeGymnasium() throws {
        let box = try BoxSpace(low: -1, high: 1, shape: [3])
        #expect("\(box)" == "Box(-1.0, 1.0, (3,), float32)")
        #expect("\(Space.box(box))" == "Box(-1.0, 1.0, (3,), float32)")
        #expect("\(Space.discrete(4))" == "Discrete(4)")
        let space: DictSpace = ["piece_idx": .discrete(2), "mask": .box(try BoxSpace(low: 0, high: 1, shape: [2, 2]))]
        #expect("\(space)" == "Dict('piece_idx': Discrete(2), 'mask': Box(0.0, 1.0, (2, 2), float32))")
        #expect(!"\(space)".contains("MazeCore"))
    }

    @Test func configErrorsNameSpacesAsGymnasiumDoes() throws {
        let box = Space.box(try BoxSpace(low: 0, high: 1, shape: [2]))
        do {
            _ = try OneHotPreProcessor().processedSpace(box)
            Issue.record("a Box cannot be one-hot encoded")
        } catch {
            #expect("\(error)".contains("got Box(0.0, 1.0, (2,), float32)"))
            #expect(!"\(error)".contains("MazeCore."))
        }
    }

    @Test func actionsPrintLikeAPythonDictOfArrays() {
        let action: Action = [
            "piece_idx": .scalar(3), "observation": NDArray(floats: [0.5, -1, 2, 3], shape: [2, 2]),
        ]
        #expect("\(action)" == "{'piece_idx': 3, 'observation': [[0.5 -1.0] [2.0 3.0]]}")
        #expect(!"\(action)".contains("NamedArrays(table:"))
    }
}
