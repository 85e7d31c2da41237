/// Walks every element of a row-major `shape` together with the matching offsets into up to three
/// operands read through their own strides (0 along broadcast axes, permuted for transposes).
///
/// The innermost axis is a plain counted loop, so row-broadcasts (bias-like operands) stay cheap.
enum BroadcastLoop {
    static func forEach(
        shape: [Int], _ strides0: [Int], _ strides1: [Int], _ strides2: [Int],
        _ body: (_ output: Int, _ offset0: Int, _ offset1: Int, _ offset2: Int) -> Void
    ) {
        let rank = shape.count
        guard Shape.count(shape) > 0 else { return }
        guard rank > 0 else {
            body(0, 0, 0, 0)
            return
        }
        let inner = shape[rank - 1]
        let step0 = strides0[rank - 1]
        let step1 = strides1[rank - 1]
        let step2 = strides2[rank - 1]
        var counter = [Int](repeating: 0, count: rank - 1)
        var base0 = 0
        var base1 = 0
        var base2 = 0
        var output = 0
        while true {
            for position in 0..<inner {
                body(output + position, base0 + position * step0, base1 + position * step1, base2 + position * step2)
            }
            output += inner
            var axis = rank - 2
            while axis >= 0 {
                counter[axis] += 1
                base0 += strides0[axis]
                base1 += strides1[axis]
                base2 += strides2[axis]
                if counter[axis] < shape[axis] { break }
                base0 -= strides0[axis] * shape[axis]
                base1 -= strides1[axis] * shape[axis]
                base2 -= strides2[axis] * shape[axis]
                counter[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}
