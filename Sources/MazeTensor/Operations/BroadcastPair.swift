/// NumPy broadcasting of two operands, with the common cases (equal shapes, one operand a single element) walked
/// without computing strides, so that they allocate nothing; the visiting order is the same in every case.
enum BroadcastPair {
    /// The broadcast shape of `lhs` and `rhs`: one of them when it already is (no new array), else
    /// ``Shape/broadcast(_:_:operation:)``.
    static func shape(_ lhs: [Int], _ rhs: [Int], operation: String) throws(TensorError) -> [Int] {
        if lhs == rhs || (rhs.count <= lhs.count && Shape.count(rhs) == 1) { return lhs }
        if lhs.count <= rhs.count && Shape.count(lhs) == 1 { return rhs }
        return try Shape.broadcast(lhs, rhs, operation: operation)
    }

    /// Calls `body(output, lhs offset, rhs offset)` for every element of `result` (the broadcast shape of `lhs` and
    /// `rhs`) in row-major order.
    static func forEach(
        _ lhs: [Int], _ rhs: [Int], result: [Int], _ body: (_ output: Int, _ lhs: Int, _ rhs: Int) -> Void
    ) {
        let count = Shape.count(result)
        if lhs == rhs {
            for index in 0..<count { body(index, index, index) }
        } else if rhs.count <= lhs.count && Shape.count(rhs) == 1 {
            for index in 0..<count { body(index, index, 0) }
        } else if lhs.count <= rhs.count && Shape.count(lhs) == 1 {
            for index in 0..<count { body(index, 0, index) }
        } else {
            let lhsStrides = Shape.broadcastStrides(lhs, to: result)
            let rhsStrides = Shape.broadcastStrides(rhs, to: result)
            BroadcastLoop.forEach(shape: result, lhsStrides, rhsStrides, lhsStrides) { out, i, j, _ in body(out, i, j) }
        }
    }
}
