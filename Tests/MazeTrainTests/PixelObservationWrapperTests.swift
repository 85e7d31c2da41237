import MazeConfig
import MazeCore
import MazeTestSupport
import Testing

@testable import MazeTrain

/// A single-step env whose observation is a fixed RGB image `[height, width, 3]` of pixel values 0…255.
private final class RGBImageEnv: StructuredEnv {
    static let (height, width) = (21, 28)
    let image: NDArray
    let events = EventContext()

    init() {
        image = NDArray(
            floats: (0..<(Self.height * Self.width * 3)).map { Float(($0 * 37) % 256) },
            shape: [Self.height, Self.width, 3])
    }

    var observationSpaces: [StepKey: DictSpace] {
        (try? BoxSpace(low: 0, high: 255, shape: [Self.height, Self.width, 3])).map { [0: ["observation": .box($0)]] }
            ?? [:]
    }
    var actionSpaces: [StepKey: DictSpace] { [0: ["action": .discrete(2)]] }
    func reset() throws -> Observation { ["observation": image] }
    func step(_ action: Action) throws -> StepResult {
        StepResult(observation: ["observation": image], outcome: StepOutcome(reward: 0, terminated: false))
    }
    func seed(_ seed: UInt64) {}
    func close() {}
    var actorID: ActorID { .single }
    func isActorDone() -> Bool { false }
    var agentCounts: [StepKey: Int] { [0: 1] }
    func calculateKPIs() -> [String: Double] { [:] }
    func render() -> String? { nil }
}

/// `wrappers=pixel_obs` turns an RGB screen into Maze's stacked, grey, resized, [0, 1]-scaled frames.
@Suite struct PixelObservationWrapperTests {
    @Test func pixelObservationStackProducesStackedGreyFramesInTheUnitRange() throws {
        let composed = try ComposedTrainingConfigTests.compose(["wrappers=pixel_obs"])
        let root: ConfigNode = [
            "env": ["_target_": "rgb_image_env"], "wrappers": try composed.root.section("wrappers").node,
        ]
        var registries = Registries.withMazeEnvs
        registries.envs.register("rgb_image_env", keys: []) { _ in RGBImageEnv() }
        let env = try EnvConfiguration(config: ConfigSection(root: root), registries: registries).makeEnv()

        let key = "observation-rgb2gray-resize_img"
        let space = try #require(env.observationSpaces[0]?[key])
        #expect(space.shape == [4, 84, 84])
        #expect(env.observationSpaces[0]?.keys == [key])
        let observation = try #require(try env.reset()[key])
        #expect(observation.shape == [4, 84, 84])
        let pixels = observation.floats
        #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(pixels.contains { $0 > 0.5 })
    }
}
