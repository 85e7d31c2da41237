import MazeCore

extension NDArray {
    /// The first element as a discrete choice. Float entries that are not finite, or too large for an
    /// `Int`, are a typed error here instead of a trap in the conversion: actions can come from a
    /// network or a remote actor.
    func discreteChoice(_ name: String) throws(MazeError) -> Int {
        guard count >= 1 else { throw .invalidValue("'\(name)' holds no value") }
        if dtype == .float32 { try float(at: 0).checkChoiceRange(name) }
        return int(at: 0)
    }
}

extension Float {
    /// A flat action value as a discrete choice, floored as ``DictSpace/unflatten(_:)`` does.
    func flooredChoice(_ name: String) throws(MazeError) -> Int {
        try checkChoiceRange(name)
        return Int(rounded(.down))
    }

    /// Throws unless the value converts to an `Int` without trapping.
    fileprivate func checkChoiceRange(_ name: String) throws(MazeError) {
        guard isFinite, abs(self) < 0x1p62 else {
            throw .invalidValue("'\(name)' must be a finite integer choice, got \(self)")
        }
    }
}
