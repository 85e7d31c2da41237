import MazeCore

/// Encodes TensorBoard's `Event` protobuf messages and their TFRecord framing.
///
/// Field numbers follow tensorflow/core/util/event.proto and summary.proto: Event{wall_time 1,
/// step 2, file_version 3, summary 5}, Summary{value 1}, Value{tag 1, simple_value 2, histo 5, tensor 8,
/// metadata 9}, HistogramProto{min 1, max 2, num 3, sum 4, sum_squares 5, bucket_limit 6, bucket 7}.
enum TensorBoardEvent {
    /// The first record of every event file; readers reject files without it.
    static func fileVersion(wallTime: Double) -> [UInt8] {
        var event = ProtobufEncoder()
        event.double(1, wallTime)
        event.int64(2, 0)
        event.string(3, "brain.Event:2")
        return event.bytes
    }

    /// One event holding `scalars` (tag, value) for `step`.
    static func scalars(_ scalars: [(tag: String, value: Float)], step: Int, wallTime: Double) -> [UInt8] {
        summary(step: step, wallTime: wallTime) { summary in
            for scalar in scalars {
                summary.message(1) { value in
                    value.string(1, scalar.tag)
                    value.float(2, scalar.value)
                }
            }
        }
    }

    /// One event holding `histograms` (tag, distribution) for `step`.
    static func histograms(_ histograms: [(tag: String, values: ValueHistogram)], step: Int, wallTime: Double)
        -> [UInt8]
    {
        summary(step: step, wallTime: wallTime) { summary in
            for histogram in histograms {
                summary.message(1) { value in
                    value.string(1, histogram.tag)
                    value.message(5) { proto in
                        let values = histogram.values
                        let buckets = values.encodedBuckets
                        proto.double(1, values.min)
                        proto.double(2, values.max)
                        proto.double(3, Double(values.count))
                        proto.double(4, values.sum)
                        proto.double(5, values.sumSquares)
                        proto.packedDoubles(6, buckets.limits)
                        proto.packedDoubles(7, buckets.counts)
                    }
                }
            }
        }
    }

    /// One event holding `text` as a string tensor for TensorBoard's TEXT tab.
    static func text(_ text: String, tag: String, step: Int, wallTime: Double) -> [UInt8] {
        summary(step: step, wallTime: wallTime) { summary in
            summary.message(1) { value in
                value.string(1, tag)
                value.message(9) { metadata in
                    metadata.message(1) { plugin in plugin.string(1, "text") }
                }
                value.message(8) { tensor in
                    tensor.int64(1, 7)  // DT_STRING
                    tensor.message(2) { _ in }  // scalar shape
                    tensor.bytes(8, Array(text.utf8))
                }
            }
        }
    }

    /// `data` framed as a TFRecord: length, masked CRC of the length, data, masked CRC of the data.
    static func record(_ data: [UInt8]) -> [UInt8] {
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian, Array.init)
        var record = length
        record += withUnsafeBytes(of: CRC32C.masked(length).littleEndian, Array.init)
        record += data
        record += withUnsafeBytes(of: CRC32C.masked(data).littleEndian, Array.init)
        return record
    }

    private static func summary(step: Int, wallTime: Double, _ body: (inout ProtobufEncoder) -> Void) -> [UInt8] {
        var event = ProtobufEncoder()
        event.double(1, wallTime)
        event.int64(2, Int64(step))
        event.message(5, body)
        return event.bytes
    }
}
