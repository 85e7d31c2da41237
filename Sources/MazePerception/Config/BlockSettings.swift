import MazeConfig
import MazeTensor

/// Typed reads of one block's settings (a modality's `block_params`, or a block entry of a custom
/// network), refusing any key the block does not know so that no setting is silently ignored.
///
/// Every built-in block is registered through it, and so is a user's own block (docs/PERCEPTION.md, "Your own
/// blocks"): read the settings when the config is read, so that a wrong key or value is refused before anything is
/// built, and build the block in ``recipe(_:)`` once its input shapes are known.
///
/// ```swift
/// try registry.blocks.register("GatedLinearBlock") { config in
///     let settings = try BlockSettings(config, type: "GatedLinearBlock", keys: ["output_units"])
///     let units = try settings.positiveInt("output_units")
///     return settings.recipe { name, shapes in try GatedLinearBlock(name: name, inputShapes: shapes, outputUnits: units) }
/// }
/// ```
public struct BlockSettings {
    /// Keys of a custom network's block entry that are not settings of the block itself.
    public static let wiringKeys: Set<String> = ["_target_", "in_keys", "out_keys"]

    /// The block's config section (its path names errors).
    public let config: ConfigSection
    /// The block type, as registered.
    public let type: String

    /// The settings of a block of `type`; a key in `config` that is neither in `keys` nor a wiring key is refused,
    /// naming its path and the nearest known key.
    public init(_ config: ConfigSection, type: String, keys: Set<String>) throws {
        try config.refuseKeys(otherThan: keys.union(Self.wiringKeys))
        self.config = config
        self.type = type
    }

    /// The settings as written, for recipe equality: YAML in the config's own key order (a description of the
    /// node would list a map's values in its dictionary's order, which differs between equal maps).
    public var description: String { config.node.yaml }

    /// The integer at `key`; absent or `~` takes `value`, and without one the key is required.
    public func int(_ key: String, default value: Int? = nil) throws -> Int {
        guard let value else { return try config.int(key) }
        return try config.optionalInt(key) ?? value
    }

    /// As ``int(_:default:)``, refusing zero and negative numbers.
    public func positiveInt(_ key: String, default value: Int? = nil) throws -> Int {
        let number = try int(key, default: value)
        guard number > 0 else {
            throw PerceptionError.invalidConfiguration("\(config.dottedPath).\(key): must be positive, got \(number)")
        }
        return number
    }

    /// The list of integers at `key` (required).
    public func ints(_ key: String) throws -> [Int] {
        try config.ints(key)
    }

    /// The boolean at `key`; absent or `~` takes `value`.
    public func bool(_ key: String, default value: Bool) throws -> Bool {
        try config.optionalBool(key) ?? value
    }

    /// The number at `key`; absent or `~` takes `value`.
    public func float(_ key: String, default value: Float) throws -> Float {
        try config.optionalDouble(key).map(Float.init) ?? value
    }

    /// `non_lin`, a torch module name (`Tanh`, `torch.nn.ReLU`, `SELU`, `Identity`), as an activation.
    public func nonLinearity() throws -> Activation {
        try config.nonLinearity()
    }

    /// `hidden_units`: a non-empty list of positive widths.
    public func hiddenUnits() throws -> [Int] {
        try config.hiddenUnits()
    }

    /// A pooling function at `key`: `mean`, `sum` or `max`.
    public func pooling(_ key: String) throws -> PoolingFunction {
        let name = try config.string(key)
        guard let function = PoolingFunction(rawValue: name) else {
            throw PerceptionError.invalidConfiguration(
                "\(config.dottedPath).\(key): unknown pooling '\(name)' (supported: mean, sum, max)")
        }
        return function
    }

    /// Refuses a setting whose value this implementation does not support, naming the key.
    public func require(_ condition: Bool, _ key: String, _ explanation: String) throws {
        guard condition else {
            throw PerceptionError.invalidConfiguration("\(config.dottedPath).\(key): \(explanation)")
        }
    }

    /// The recipe of this block type, built by `build` once the input shapes are known.
    /// Its dense widths are `hidden_units` where the block has them (joint blocks), for the memory estimate.
    public func recipe(_ build: @escaping BlockRecipe.Build) -> BlockRecipe {
        let denseUnits = config.contains("hidden_units") ? (try? config.hiddenUnits()) ?? [] : []
        return BlockRecipe(type: type, settings: description, denseUnits: denseUnits, build: build)
    }
}
