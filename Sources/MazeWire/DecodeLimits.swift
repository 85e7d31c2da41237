/// Bounds on what the decoder accepts from an untrusted peer, checked before the bytes reach msgpack-c.
///
/// msgpack-c allocates arrays and maps from the counts in their headers, so the decoder first walks the frame
/// and refuses anything outside these limits; memory spent on a frame is then proportional to its size.
public struct DecodeLimits: Sendable, Equatable {
    /// The largest frame accepted, checked first of all.
    public var maxFrameBytes: Int
    /// The deepest nesting of arrays and maps; the top-level map is depth 1. msgpack-c's parser stack
    /// caps this at `DecodeLimits.parserStackDepth` whatever the value.
    public var maxDepth: Int
    /// The most elements one array may hold, or entries one map may hold.
    public var maxContainerElements: Int
    /// The most values (array elements, map keys and map values) in the whole frame.
    public var maxTotalElements: Int
    /// The most elements one tensor may hold.
    public var maxTensorElements: Int
    /// The most data bytes one tensor may hold.
    public var maxTensorBytes: Int
    /// The longest string (ids, names, dtype codes, map keys) accepted.
    public var maxStringBytes: Int

    /// The nesting depth of msgpack-c's fixed parser stack (`MSGPACK_EMBED_STACK_SIZE`).
    public static let parserStackDepth = 32

    /// Limits sized for training traffic: frames up to 256 MiB, tensors up to 256 MiB, 16 levels of nesting.
    public static let standard = DecodeLimits()

    public init(
        maxFrameBytes: Int = 256 << 20,
        maxDepth: Int = 16,
        maxContainerElements: Int = 1 << 16,
        maxTotalElements: Int = 1 << 18,
        maxTensorElements: Int = 1 << 28,
        maxTensorBytes: Int = 256 << 20,
        maxStringBytes: Int = 1 << 16
    ) {
        self.maxFrameBytes = maxFrameBytes
        self.maxDepth = maxDepth
        self.maxContainerElements = maxContainerElements
        self.maxTotalElements = maxTotalElements
        self.maxTensorElements = maxTensorElements
        self.maxTensorBytes = maxTensorBytes
        self.maxStringBytes = maxStringBytes
    }

    /// The depth actually enforced: `maxDepth`, but never more than msgpack-c can parse.
    var effectiveMaxDepth: Int { max(0, min(maxDepth, Self.parserStackDepth)) }
}
