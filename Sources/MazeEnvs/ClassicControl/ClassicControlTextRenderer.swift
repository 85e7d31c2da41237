import Foundation
import MazeCore

/// Draws a classic-control state as one line of named values, e.g.
/// `CartPole-v1 action=1 | x=+0.0123 x_dot=-0.2100 theta=+0.0301 theta_dot=+0.3320`.
struct ClassicControlTextRenderer<Dynamics: ClassicControlDynamics>: Renderer {
    func render(state: Dynamics, action: Dynamics.Action?) -> String {
        let values = zip(Dynamics.stateLabels, state.stateVector)
            .map { label, value in "\(label)=\(String(format: "%+.4f", value))" }
            .joined(separator: " ")
        let actionText = action.map { "action=\($0)" } ?? "reset"
        return "\(Dynamics.gymID) \(actionText) | \(values)"
    }
}
