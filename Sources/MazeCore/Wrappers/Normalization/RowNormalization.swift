/// The normalization of whole flat observation rows, one shift, divisor and clip range per element.
///
/// Entries without statistics get the identity (`(x - 0) / 1`, clipped to ±∞), so a row is one loop
/// without branches; the results are those of ``EntryNormalization/apply(to:)`` entry by entry. The
/// four parameters of an element sit next to each other in one array: one buffer to hold per step.
struct RowNormalization {
    private static let stride = 4
    /// `shift, divisor, low, high` of each element.
    private var parameters: [Float]

    /// `entries` gives each entry's offset in the row (ascending) and its normalization, if any.
    init(width: Int, entries: [(offset: Int, normalization: EntryNormalization?)]) {
        parameters = Array(repeating: 0, count: width * Self.stride)
        for element in 0..<width {
            parameters[element * Self.stride + 1] = 1
            parameters[element * Self.stride + 2] = -.infinity
            parameters[element * Self.stride + 3] = .infinity
        }
        for (index, entry) in entries.enumerated() {
            guard let normalization = entry.normalization else { continue }
            let end = index + 1 < entries.count ? entries[index + 1].offset : width
            for element in entry.offset..<end {
                let statistic = normalization.shift.count > 1 ? element - entry.offset : 0
                let base = element * Self.stride
                parameters[base] = normalization.shift[statistic]
                parameters[base + 1] = max(normalization.scale[statistic], EntryNormalization.minimumScale)
                parameters[base + 2] = normalization.clipLow ?? -.infinity
                parameters[base + 3] = normalization.clipHigh ?? .infinity
            }
        }
    }

    /// Normalizes `row` in place; false (and nothing changed) when it is not one row of this width.
    func apply(to row: UnsafeMutableBufferPointer<Float>) -> Bool {
        guard row.count * Self.stride == parameters.count else { return false }
        parameters.withUnsafeBufferPointer { parameters in
            for element in row.indices {
                let base = element * Self.stride
                let scaled = (row[element] - parameters[base]) / parameters[base + 1]
                row[element] = min(max(scaled, parameters[base + 2]), parameters[base + 3])
            }
        }
        return true
    }
}
