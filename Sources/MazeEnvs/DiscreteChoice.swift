import MazeCore

extension NDArray {
    /// The first element as a discrete choice. Float entries that are not finite, or too large for an
    /// `Int`, are a typed error here instead of a trap in the conversion: actions can come from a
    /// network or a remote actor.
    func discreteChoice(_ name: String) throws(MazeError) -> Int {
        guard count >= 1 else { throw .invalidValue("'\(name)' holds no value") }
        if dtype == .float32 {
            let value = float(at: 0)
            guard value.isFinite, abs(value) < 0x1p62 else {
                throw .invalidValue("'\(name)' must be a finite integer choice, got \(value)")
            }
        }
        return int(at: 0)
    }
}
