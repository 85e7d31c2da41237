import InventoryReplenishment
import MazeCommandLine
import MazeTrain

// `inventory-maze`: the standard `maze` commands, with the inventory replenishment env and its heuristic registered.
// Its learner, actors and rollouts build `env=inventory_replenishment` like any built-in env.
var components = MazeComponents.builtIn
components.registries.registerInventoryReplenishment()
await MazeCommand.main(components: components)
