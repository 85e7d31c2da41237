import Testing

@testable import MazeCore

@Suite struct SpaceWrapperTests {
    private func echo(action: DictSpace) throws -> EchoEnv {
        EchoEnv(observationSpace: ["x": .discrete(2)], actionSpace: action, observation: ["x": .scalar(1)])
    }

    @Test func dictActionRenamesTheSoleEntryBothWays() throws {
        let inner = try echo(action: ["move": .discrete(3)])
        let env = try DictActionWrapper(inner)
        #expect(env.actionSpace.keys == ["action"])
        _ = try env.step(["action": .scalar(2)])
        #expect(inner.lastAction == ["move": .scalar(2)])
        let observed = try DictObservationWrapper(inner, name: "state")
        #expect(try observed.reset().keys == ["state"])
        #expect(throws: MazeError.self) { try DictObservationWrapper(makeWalkEnv()) }
    }

    @Test func noDictSpacesExposesTheSoleEntriesAndRefusesMore() throws {
        let inner = try echo(action: ["move": .discrete(3)])
        let env = try Registries.builtIn.wrap(
            inner, with: [("maze.core.wrappers.no_dict_spaces_wrapper.NoDictSpacesWrapper", [:])])
        #expect(env.actionSpace.keys == ["action"])
        #expect(try env.reset().keys == ["observation"])
        _ = try env.step(["action": .scalar(2)])
        #expect(inner.lastAction == ["move": .scalar(2)])
        #expect {
            try Registries.builtIn.wrap(
                try echo(action: ["move": .discrete(3), "turn": .discrete(2)]), with: [("NoDictSpacesWrapper", [:])])
        } throws: { error in
            "\(error)".contains(
                "NoDictSpacesWrapper needs a single sub-step with exactly one observation and one action entry")
        }
    }

    @Test func observationVisualizationIsRefusedWithTheReason() throws {
        #expect {
            try Registries.builtIn.wrap(
                try echo(action: ["a": .discrete(2)]),
                with: [
                    (
                        "maze.core.wrappers.observation_visualization_wrapper.ObservationVisualizationWrapper",
                        ["plot_function": "my_project.visualization_functions.plot_1c_image_stack"]
                    )
                ])
        } throws: { error in
            "\(error)".contains("ObservationVisualizationWrapper is not supported: its plot_function is Python code")
        }
    }

    @Test func splitActionsReassemblesTheOriginalEntry() throws {
        let inner = try echo(action: ["keys": .multiDiscrete([2, 3, 4])])
        let env = try SplitActionsWrapper(inner, splits: ["keys": ["first": [0], "rest": [2, 1]]])
        #expect(env.actionSpace.keys == ["first", "rest"])
        #expect(env.actionSpace["first"] == .discrete(2))
        #expect(env.actionSpace["rest"] == .multiDiscrete([4, 3]))
        _ = try env.step(["first": .scalar(1), "rest": NDArray(ints: [3, 2])])
        #expect(inner.lastAction == ["keys": NDArray(ints: [1, 2, 3])])
        #expect(throws: MazeError.self) { try SplitActionsWrapper(inner, splits: ["keys": ["a": [0, 1]]]) }
    }

    @Test func discretizeActionsMapsBinsOntoEvenlySpacedValues() throws {
        let inner = try echo(action: ["force": .box(try BoxSpace(low: -1, high: 1, shape: [2]))])
        let env = try DiscretizeActionsWrapper(inner, discretizations: ["force": .init(numBins: 5)])
        #expect(env.actionSpace["force"] == .multiDiscrete([5, 5]))
        _ = try env.step(["force": NDArray(ints: [0, 4])])
        #expect(inner.lastAction?["force"]?.floats == [-1, 1])
        _ = try env.step(["force": NDArray(ints: [2, 3])])
        #expect(inner.lastAction?["force"]?.floats == [0, 0.5])
        let unbounded = try echo(action: ["force": .box(try BoxSpace(low: -.infinity, high: .infinity, shape: [1]))])
        #expect(throws: MazeError.self) {
            try DiscretizeActionsWrapper(unbounded, discretizations: ["force": .init(numBins: 3)])
        }
    }

    @Test func preProcessorsChainAndUpdateSpaces() throws {
        let image = NDArray(floats: (0..<12).map(Float.init), shape: [2, 2, 3])
        let inner = EchoEnv(
            observationSpace: ["rgb": .box(try BoxSpace(low: 0, high: 255, shape: [2, 2, 3])), "cat": .discrete(4)],
            actionSpace: ["a": .discrete(2)], observation: ["rgb": image, "cat": .scalar(2)])
        let env = try Registries.builtIn.wrap(
            inner,
            with: [
                (
                    "PreProcessingWrapper",
                    [
                        "pre_processor_mapping": [
                            [
                                "observation": "rgb", "_target_": "maze.preprocessors.Rgb2GrayPreProcessor",
                                "keep_original": true, "config": ["rgb_dim": -1],
                            ],
                            [
                                "observation": "rgb-rgb2gray", "_target_": "ResizeImgPreProcessor",
                                "config": ["target_size": [4, 4]],
                            ],
                            [
                                "observation": "rgb-rgb2gray-resize_img", "_target_": "UnSqueezePreProcessor",
                                "config": ["dim": -3],
                            ],
                            ["observation": "cat", "_target_": "OneHotPreProcessor"],
                            [
                                "observation": "rgb", "_target_": "TransposePreProcessor", "keep_original": true,
                                "config": ["dim_order": [2, 0, 1]],
                            ],
                            [
                                "observation": "rgb", "_target_": "FlattenPreProcessor",
                                "config": ["num_flatten_dims": 3],
                            ],
                        ]
                    ]
                )
            ])
        let space = env.observationSpace
        #expect(
            space.keys.sorted() == ["cat-one_hot", "rgb-flatten", "rgb-rgb2gray-resize_img-unsqueeze", "rgb-transpose"])
        #expect(space["rgb-rgb2gray-resize_img-unsqueeze"]?.shape == [1, 4, 4])
        let observation = try env.reset()
        #expect(try observation.require("cat-one_hot").floats == [0, 0, 1, 0])
        #expect(try observation.require("rgb-flatten").floats == image.floats)
        let transposed = try observation.require("rgb-transpose")
        #expect(transposed.shape == [3, 2, 2])
        #expect(transposed.floats.prefix(4) == [0, 3, 6, 9])
        let gray = try observation.require("rgb-rgb2gray-resize_img-unsqueeze")
        #expect(gray.shape == [1, 4, 4])
        // corner pixels of a bilinear upscale keep the source corners' gray values
        #expect(abs(gray.float(at: 0) - (0.299 * 0 + 0.587 * 1 + 0.114 * 2)) < 1e-4)
        #expect(space.contains(observation))
    }

    @Test func unknownPreProcessorSuggestsTheNearestName() throws {
        let inner = try echo(action: ["a": .discrete(2)])
        #expect {
            try Registries.builtIn.wrap(
                inner,
                with: [
                    (
                        "PreProcessingWrapper",
                        ["pre_processor_mapping": [["observation": "x", "_target_": "OneHotPreProcesor"]]]
                    )
                ])
        } throws: { error in
            (error as? MazeError)
                == .unknownName(kind: "pre-processor", name: "OneHotPreProcesor", suggestion: "OneHotPreProcessor")
        }
    }
}
