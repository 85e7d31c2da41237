// swift-tools-version:6.0
import PackageDescription

/// An example of bringing your own Swift environment to swift-maze: an inventory replenishment problem
/// (docs/WRITING_ENVS.md walks through it) and `inventory-maze`, a `maze` executable that knows it.
let package = Package(
    name: "InventoryReplenishment",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "inventory-maze", targets: ["InventoryMaze"]),
        .library(name: "InventoryReplenishment", targets: ["InventoryReplenishment"]),
    ],
    dependencies: [
        // In your own package: .package(url: "https://github.com/<you>/swift-maze", from: "…")
        .package(name: "swift-maze", path: "../..")
    ],
    targets: [
        .target(
            name: "InventoryReplenishment",
            dependencies: [
                .product(name: "MazeCore", package: "swift-maze"),
                .product(name: "MazePerception", package: "swift-maze"),
                .product(name: "MazeTensor", package: "swift-maze"),
            ]),
        .executableTarget(
            name: "InventoryMaze",
            dependencies: [
                "InventoryReplenishment",
                .product(name: "MazeCommandLine", package: "swift-maze"),
                .product(name: "MazeTrain", package: "swift-maze"),
            ]),
    ]
)
