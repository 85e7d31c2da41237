import CMsgPack

/// Decodes frames for a receiver that hands trajectory batches out and gets them back, allocating nothing in a steady
/// state: msgpack-c parses every frame into the same memory (kept from one frame to the next), and each trajectory
/// batch is decoded into the storage of a batch its holders are done with (`decode(_:reusing:)`).
///
/// Its checks and results are those of `WireMessage.decode(_:limits:)`.
///
/// Threading: a decoder keeps msgpack-c's memory, so it is used on one thread (the learner's receive stage).
public final class WireDecoder {
    /// What frames may hold.
    public let limits: DecodeLimits
    /// msgpack-c's memory for the objects of a frame: one chunk, kept by `msgpack_zone_clear` between frames
    /// (frames whose objects outgrow it get more chunks, freed at the next frame).
    private let zone: UnsafeMutablePointer<msgpack_zone>

    /// msgpack-c's objects take 24 bytes each: 64 KiB holds the objects of a batch with hundreds of episodes.
    private static var zoneChunkBytes: Int { 64 << 10 }

    /// A decoder of frames within `limits`; `nil` when msgpack-c cannot allocate its memory.
    public init?(limits: DecodeLimits = .standard) {
        guard let zone = msgpack_zone_new(Self.zoneChunkBytes) else { return nil }
        self.limits = limits
        self.zone = zone
    }

    deinit {
        msgpack_zone_free(zone)
    }

    /// Decodes one message; a trajectory batch is decoded into the storage of `spare` (taken, so set to `nil`), which
    /// allocates nothing when the batch has the spare's tensor names and shapes and nobody else holds the spare.
    ///
    /// A frame of another type leaves `spare` as it was. After a throw `spare` is `nil` or as it was: a spare that
    /// failed a check halfway is dropped, so no batch that failed one is ever seen.
    public func decode(_ frame: UnsafeRawBufferPointer, reusing spare: inout TrajectoryBatch?) throws(WireError)
        -> WireMessage
    {
        try WireMessage.decodeEnvelope(frame, limits: limits, zone: zone) { type, fields throws(WireError) in
            guard type == .trajectoryBatch else {
                let message = try WireMessage.decodeBody(type, fields)
                _ = try RequestCorrelation(fields: fields)
                return message
            }
            var batch = spare.take() ?? TrajectoryBatch(blank: ())
            try batch.decode(fields)
            _ = try RequestCorrelation(fields: fields)
            return .trajectoryBatch(batch)
        }
    }
}
