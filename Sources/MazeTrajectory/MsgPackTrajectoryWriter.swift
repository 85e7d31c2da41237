import Foundation
import MazeCore

/// The ``TrajectoryWriter`` behind `record_trajectory`: one msgpack file per episode under
/// `<outputDirectory>/trajectory_data/`, in the format of docs/TRAJECTORIES.md.
///
/// Files are named by episode index (`episode_000007.msgpack`), which the rollout runners assign
/// uniquely across workers, so parallel workers can share one writer.
public struct MsgPackTrajectoryWriter: TrajectoryWriter {
    /// The folder the files go to (`<outputDirectory>/trajectory_data`).
    public let directory: URL

    /// A writer for the run folder `outputDirectory`; the folder is created on the first write.
    public init(outputDirectory: URL) {
        directory = outputDirectory.appendingPathComponent(TrajectoryFileFormat.directoryName)
    }

    /// The file episode `episodeIndex` is written to.
    public func fileURL(episodeIndex: Int) -> URL {
        directory.appendingPathComponent(TrajectoryFileFormat.fileName(episodeIndex: episodeIndex))
    }

    public func write(_ record: TrajectoryRecord) throws {
        let bytes = try Self.encode(record)
        let url = fileURL(episodeIndex: record.episodeIndex)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw MazeError.io("cannot write trajectory file \(url.path): \(error.localizedDescription)")
        }
    }

    /// The msgpack bytes of one episode file.
    public static func encode(_ record: TrajectoryRecord) throws(MazeError) -> Data {
        typealias Keys = TrajectoryFileFormat.Keys
        var packer = MsgPackPacker()
        packer.writeMapHeader(count: 6)
        packer.write(Keys.format)
        packer.write(TrajectoryFileFormat.name)
        packer.write(Keys.version)
        packer.write(TrajectoryFileFormat.version)
        packer.write(Keys.episodeIndex)
        packer.write(record.episodeIndex)
        packer.write(Keys.envSeed)
        packer.write(record.envSeed)
        packer.write(Keys.agentSeed)
        packer.write(record.agentSeed)
        packer.write(Keys.steps)
        packer.writeArrayHeader(count: record.steps.count)
        for step in record.steps { packer.write(step) }
        return try packer.finish()
    }
}

extension MsgPackPacker {
    fileprivate mutating func write(_ step: TrajectoryStep) {
        typealias Keys = TrajectoryFileFormat.Keys
        writeMapHeader(count: 7)
        write(Keys.actor)
        writeMapHeader(count: 2)
        write(Keys.stepKey)
        write(step.actorID.stepKey.rawValue)
        write(Keys.agentID)
        write(step.actorID.agentID)
        write(Keys.observation)
        write(step.observation)
        write(Keys.action)
        write(step.action)
        write(Keys.reward)
        write(step.reward)
        write(Keys.terminated)
        write(step.terminated)
        write(Keys.truncated)
        write(step.truncated)
        write(Keys.info)
        writeMapHeader(count: step.info.count)
        for (key, value) in step.info.sorted(by: { $0.key < $1.key }) {
            write(key)
            write(value)
        }
    }

    /// Named arrays in their own order, each as a `{dtype, shape, data}` tensor map.
    fileprivate mutating func write(_ arrays: NamedArrays) {
        typealias Keys = TrajectoryFileFormat.Keys
        writeMapHeader(count: arrays.count)
        for (name, array) in arrays {
            write(name)
            writeMapHeader(count: 3)
            write(Keys.dtype)
            write(array.dtype.rawValue)
            write(Keys.shape)
            writeArrayHeader(count: array.shape.count)
            for dimension in array.shape { write(dimension) }
            write(Keys.data)
            let bytes: [UInt8] =
                switch array.storage {
                case .float32(let values): values.flatMap { Self.littleEndianBytes($0.bitPattern) }
                case .int64(let values): values.flatMap { Self.littleEndianBytes(UInt64(bitPattern: Int64($0))) }
                }
            bytes.withUnsafeBytes { write(binary: $0) }
        }
    }

    private static func littleEndianBytes<Word: FixedWidthInteger>(_ word: Word) -> [UInt8] {
        withUnsafeBytes(of: word.littleEndian, Array.init)
    }
}
