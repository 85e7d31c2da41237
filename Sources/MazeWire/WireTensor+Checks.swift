/// Checks a receiver applies to tensors that came from the network: sizes multiplied without overflow, and
/// float elements that are all finite.
extension WireTensor {
    /// The product of `dimensions`, or `nil` if one is negative or the product overflows `Int`. Every product of
    /// sizes that came from the network goes through here: a plain `reduce(1, *)` traps on overflow, and
    /// `[T, 0, 2^40, 2^40]` is a valid (empty) tensor whose trailing dimensions alone overflow.
    /// Inlinable, so that callers in other modules get it specialized to their sequence type (the generic entry point
    /// allocates on some calls).
    @inlinable
    public static func checkedProduct(_ dimensions: some Sequence<Int>) -> Int? {
        var product = 1
        for dimension in dimensions {
            guard dimension >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }

    /// Whether every element is finite: false when an `f4` tensor holds a NaN or an infinity; integer and boolean
    /// tensors are always finite.
    public var isFinite: Bool {
        guard dtype == .float32 else { return true }
        return bytes.withUnsafeBytes { raw in
            var index = 0
            while index + 4 <= raw.count {
                // Exponent bits all ones: NaN or infinity (little-endian, so the exponent sits in bytes 2 and 3).
                let bits = raw.loadUnaligned(fromByteOffset: index, as: UInt32.self).littleEndian
                if bits & 0x7F80_0000 == 0x7F80_0000 { return false }
                index += 4
            }
            return true
        }
    }
}
