/// Converts a MazeState into an observation of a ``DictSpace`` (Maze's ObservationConversionInterface).
public protocol ObservationConversion<MazeState> {
    associatedtype MazeState
    /// The space of the observations produced.
    var space: DictSpace { get }
    /// The observation of `state`.
    func observation(from state: MazeState) -> Observation
    /// Writes the observation of `state`, flattened in ``space`` order, into `buffer` (its
    /// ``DictSpace/flatCount`` elements). The default goes through ``observation(from:)``; fast
    /// environments override it to skip building the dictionary.
    func writeObservation(from state: MazeState, into buffer: UnsafeMutableBufferPointer<Float>) throws
}

extension ObservationConversion {
    public func writeObservation(from state: MazeState, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        try space.flatten(observation(from: state), into: buffer)
    }
}

/// Converts an action of a ``DictSpace`` into a MazeAction and back (Maze's ActionConversionInterface).
public protocol ActionConversion<MazeState, MazeAction> {
    associatedtype MazeState
    associatedtype MazeAction
    /// The space of the actions accepted.
    var space: DictSpace { get }
    /// The MazeAction for `action` in `state`; throws a ``MazeError`` for malformed actions.
    func mazeAction(from action: Action, state: MazeState) throws -> MazeAction
    /// The space action corresponding to `mazeAction` (used by trajectory recording and deployment).
    func action(from mazeAction: MazeAction) -> Action
}
