import MazeCore
import MazeEnvs
import MazePerception

/// Everything a config can name, as one value passed down to every place that builds from config: environments,
/// wrappers and policies (``Registries``) and perception components (blocks, networks, composers).
///
/// `maze`'s commands, the dev and local runners, the learner's experiments and the actors' acting policies all
/// build from the components they are handed, so a user's own `maze` executable (the `MazeCommandLine` library
/// product) sees the envs it registers everywhere:
///
/// ```swift
/// var components = MazeComponents.builtIn
/// components.registries.envs.register("inventory_replenishment", keys: InventoryEnv.keys) { try InventoryEnv.make($0) }
/// components.addPerception { try $0.blocks.register("WideDenseBlock") { _ in .dense(hiddenUnits: [512], nonLinearity: .relu) } }
/// ```
public struct MazeComponents: Sendable {
    /// Adds perception components to the built-in registry.
    public typealias PerceptionAddition = @Sendable (inout PerceptionRegistry) throws -> Void

    /// Environments, wrappers and policies by name.
    public var registries: Registries
    /// Perception additions, applied in order on top of ``PerceptionRegistry/standard(adding:)``.
    private var perceptionAdditions: [PerceptionAddition] = []

    /// `registries` with the built-in perception components.
    public init(registries: Registries) {
        self.registries = registries
    }

    /// Everything swift-maze ships: MazeCore's wrappers and policies, MazeEnvs' envs and policies, the standard
    /// perception components.
    public static var builtIn: MazeComponents { MazeComponents(registries: .withMazeEnvs) }

    /// Registers more perception components (blocks, networks, model builders, composers) by name; the built-in
    /// model composers see them too.
    public mutating func addPerception(_ addition: @escaping PerceptionAddition) {
        perceptionAdditions.append(addition)
    }

    /// The perception registry: the standard components plus the additions.
    public func perception() throws -> PerceptionRegistry {
        let additions = perceptionAdditions
        return try PerceptionRegistry.standard { registry in
            for addition in additions { try addition(&registry) }
        }
    }
}
