import MazeConfig
import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

@Suite struct DistributionMapperTests {
    static func actionSpace() throws -> DictSpace {
        [
            "move": .discrete(4), "use": .multiBinary(3), "pick": .multiDiscrete([2, 3]),
            "force": .box(try BoxSpace(low: -1, high: 1, shape: [2])),
            "special_action": .box(try BoxSpace(low: 0, high: 2, shape: [1])),
        ]
    }

    @Test func defaultsFollowTheSpaceType() throws {
        let kinds = try DistributionMapper().heads(for: Self.actionSpace()).map(\.kind)
        #expect(kinds == [.categorical, .bernoulli, .multiCategorical, .diagonalGaussian, .diagonalGaussian])
    }

    /// Maze's documented example: Beta for every Box, a squashed Gaussian for `special_action`.
    @Test func configRulesApplyFromGeneralToSpecific() throws {
        let config: ConfigNode = [
            ["action_space": "gym.spaces.Box", "distribution": "maze.distributions.beta.BetaProbabilityDistribution"],
            [
                "action_head": "special_action",
                "distribution": "maze.distributions.squashed_gaussian.SquashedGaussianProbabilityDistribution",
            ],
        ]
        let mapper = try DistributionMapper(config: ConfigSection(root: config))
        let heads = try mapper.heads(for: Self.actionSpace())
        #expect(heads.map(\.kind) == [.categorical, .bernoulli, .multiCategorical, .beta, .squashedGaussian])
        #expect(heads.map(\.parameterWidth) == [4, 3, 5, 4, 2])
    }

    @Test func unknownDistributionIsAnError() throws {
        let config: ConfigNode = [
            ["action_space": "gym.spaces.Box", "distribution": "maze.distributions.NoSuchDistribution"]
        ]
        #expect(throws: PerceptionError.self) { try DistributionMapper(config: ConfigSection(root: config)) }
    }

    @Test func boundedFamiliesRejectUnboundedBoxes() throws {
        let unbounded = Space.box(try BoxSpace(low: -.infinity, high: .infinity, shape: [1]))
        #expect(throws: PerceptionError.self) { try ActionHead(key: "a", space: unbounded, kind: .beta) }
        #expect(throws: PerceptionError.self) { try ActionHead(key: "a", space: .discrete(2), kind: .diagonalGaussian) }
    }

    @Test func pendulumModelUsesTheConfiguredBetaDistribution() throws {
        var recipe = try TestSpaces.recipe(TestSpaces.modelChoices[0])
        recipe.distributionMapper = DistributionMapper(rules: [.actionSpace(spaceType: "Box", kind: .beta)])
        let spaces = try TestSpaces.pendulum()
        let model = try ActorCriticModel(
            recipe: recipe, observationSpaces: spaces.observations, actionSpaces: spaces.actions, seed: 3)
        var random = MazeRandom(seed: 6)
        let observations = try ModelBuildingTests.observations(
            try #require(spaces.observations[0]), rows: 50, random: &random)
        let output = try model.act(observations: observations, deterministic: false, random: &random)
        #expect(output.actions.scalars.allSatisfy { $0 >= -2 && $0 <= 2 })
        #expect(try model.policy().heads.first?.kind == .beta)
    }
}
