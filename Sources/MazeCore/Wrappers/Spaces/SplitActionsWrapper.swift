/// Splits a MultiDiscrete or Box action entry into several entries, each taking some of its element
/// indices (Maze's SplitActionsWrapper), so each part can get its own policy head.
final class SplitActionsWrapper: ActionTransformingWrapper {
    let inner: any StructuredEnv
    /// Per split entry: the new entries in name order with the element indices each one takes.
    private let splits: [(source: String, parts: [(name: String, indices: [Int])])]

    /// `splits[source][newName]` lists the element indices of `source` that `newName` takes; the
    /// indices of one source must cover every element exactly once.
    init(_ env: any StructuredEnv, splits: [String: [String: [Int]]]) throws(MazeError) {
        inner = env
        var resolved: [(String, [(String, [Int])])] = []
        for source in splits.keys.sorted() {
            let parts = (splits[source] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            guard let space = env.actionSpaces.values.compactMap({ $0[source] }).first else {
                throw .missingKey(source, available: env.actionSpaces.values.flatMap(\.keys).sorted())
            }
            guard parts.flatMap(\.1).sorted() == Array(0..<space.elementCount) else {
                throw .invalidConfiguration(
                    "the split of '\(source)' must use each of its \(space.elementCount) indices once")
            }
            resolved.append((source, parts))
        }
        self.splits = resolved
    }

    var actionSpaces: [StepKey: DictSpace] {
        inner.actionSpaces.mapValues { space in
            var result: [(String, Space)] = []
            for (name, subspace) in space {
                guard let split = splits.first(where: { $0.source == name }) else {
                    result.append((name, subspace))
                    continue
                }
                result += split.parts.map { ($0.name, Self.part(of: subspace, indices: $0.indices)) }
            }
            return DictSpace(result)
        }
    }

    private static func part(of space: Space, indices: [Int]) -> Space {
        switch space {
        case .multiDiscrete(let nvec):
            return indices.count == 1 ? .discrete(nvec[indices[0]]) : .multiDiscrete(indices.map { nvec[$0] })
        case .multiBinary:
            return .multiBinary(indices.count)
        case .box(let box):
            return
                (try? BoxSpace(low: indices.map { box.low[$0] }, high: indices.map { box.high[$0] }, dtype: box.dtype))
                .map(Space.box) ?? space
        case .discrete:
            return space
        }
    }

    func transformAction(_ action: Action) throws -> Action {
        var merged = action
        for split in splits {
            var floats = [Float](repeating: 0, count: split.parts.reduce(0) { $0 + $1.indices.count })
            var dtype = DType.int64
            for part in split.parts {
                let value = try action.require(part.name)
                guard value.count == part.indices.count else {
                    throw MazeError.invalidValue(
                        "'\(part.name)' has \(value.count) elements, expected \(part.indices.count)")
                }
                dtype = value.dtype
                for (offset, index) in part.indices.enumerated() { floats[index] = value.float(at: offset) }
                merged[part.name] = nil
            }
            merged[split.source] = NDArray(floats: floats).converted(to: dtype)
        }
        return merged
    }
}
