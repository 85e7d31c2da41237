import MazeConfig
import MazeTensor

/// Typed reads of one block's settings (a modality's `block_params`, or a block entry of a custom
/// network), refusing any key the block does not know so that no setting is silently ignored.
struct BlockSettings {
    /// Keys of a custom network's block entry that are not settings of the block itself.
    static let wiringKeys: Set<String> = ["_target_", "in_keys", "out_keys"]

    let config: ConfigSection
    let type: String

    init(_ config: ConfigSection, type: String, keys: Set<String>) throws {
        try config.refuseKeys(otherThan: keys.union(Self.wiringKeys))
        self.config = config
        self.type = type
    }

    /// The settings as written, for recipe equality.
    var description: String { "\(config.node)" }

    /// The integer at `key`; absent or `~` takes `value`, and without one the key is required.
    func int(_ key: String, default value: Int? = nil) throws -> Int {
        guard let value else { return try config.int(key) }
        return try config.optionalInt(key) ?? value
    }

    func positiveInt(_ key: String, default value: Int? = nil) throws -> Int {
        let number = try int(key, default: value)
        guard number > 0 else {
            throw PerceptionError.invalidConfiguration("\(config.dottedPath).\(key): must be positive, got \(number)")
        }
        return number
    }

    func ints(_ key: String) throws -> [Int] {
        try config.ints(key)
    }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        try config.optionalBool(key) ?? value
    }

    func float(_ key: String, default value: Float) throws -> Float {
        try config.optionalDouble(key).map(Float.init) ?? value
    }

    func nonLinearity() throws -> Activation {
        try config.nonLinearity()
    }

    func hiddenUnits() throws -> [Int] {
        try config.hiddenUnits()
    }

    func pooling(_ key: String) throws -> PoolingFunction {
        let name = try config.string(key)
        guard let function = PoolingFunction(rawValue: name) else {
            throw PerceptionError.invalidConfiguration(
                "\(config.dottedPath).\(key): unknown pooling '\(name)' (supported: mean, sum, max)")
        }
        return function
    }

    /// Refuses a setting whose value this implementation does not support, naming the key.
    func require(_ condition: Bool, _ key: String, _ explanation: String) throws {
        guard condition else {
            throw PerceptionError.invalidConfiguration("\(config.dottedPath).\(key): \(explanation)")
        }
    }

    /// The recipe of this block type, built by `build` once the input shapes are known.
    /// Its dense widths are `hidden_units` where the block has them (joint blocks), for the memory estimate.
    func recipe(_ build: @escaping BlockRecipe.Build) -> BlockRecipe {
        let denseUnits = config.contains("hidden_units") ? (try? config.hiddenUnits()) ?? [] : []
        return BlockRecipe(type: type, settings: description, denseUnits: denseUnits, build: build)
    }
}
