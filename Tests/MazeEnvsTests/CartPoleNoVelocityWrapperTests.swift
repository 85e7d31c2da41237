import MazeCore
import Testing

@testable import MazeEnvs

/// `CartPoleNoVelocityWrapper` keeps the cart position and the pole angle of CartPole's observation, is built
/// from a `wrappers` config entry, and refuses envs whose observation is not CartPole's.
@Suite struct CartPoleNoVelocityWrapperTests {
    @Test func keepsPositionAndAngle() throws {
        let registries = Registries.withMazeEnvs
        let plain = try registries.makeEnv("CartPole-v1", [:])
        let hidden = try registries.wrap(
            try registries.makeEnv("CartPole-v1", [:]), with: [("CartPoleNoVelocityWrapper", [:])])
        #expect(hidden.findWrapper(CartPoleNoVelocityWrapper.self) != nil)
        guard case .box(let box) = hidden.observationSpace["observation"] else {
            Issue.record("no Box observation")
            return
        }
        #expect(box.shape == [2])
        #expect(box.high.map(Float.init) == [CartPole.observationHigh[0], CartPole.observationHigh[2]])
        plain.seed(11)
        hidden.seed(11)
        var full = try plain.reset()
        var kept = try hidden.reset()
        for step in 0..<20 {
            let values = try full.require("observation").floats
            #expect(try kept.require("observation").floats == [values[0], values[2]])
            let action: Action = ["action": .scalar(step % 3 == 0 ? 0 : 1)]
            full = try plain.step(action).observation
            kept = try hidden.step(action).observation
        }
    }

    @Test func refusesOtherObservations() throws {
        #expect(throws: MazeError.self) {
            try CartPoleNoVelocityWrapper(Registries.withMazeEnvs.makeEnv("Acrobot-v1", [:]))
        }
    }
}
