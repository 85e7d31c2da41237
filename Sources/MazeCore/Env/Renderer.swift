/// Draws a MazeState (and the action that led to it) as text, for `render` in rollouts.
package protocol Renderer<MazeState, MazeAction> {
    associatedtype MazeState
    associatedtype MazeAction
    /// A text picture of `state` after `action` (`nil` right after reset).
    func render(state: MazeState, action: MazeAction?) -> String
}
