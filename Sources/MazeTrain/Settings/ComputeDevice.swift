import MazeConfig

/// The `device` settings (`algorithm.device`, `policy.device`): Maze accepts `cpu` and `cuda[:n]`;
/// swift-maze computes on the CPU (OpenBLAS) only, so `cpu` is accepted and anything else is refused
/// with the key named, rather than silently trained on the CPU.
package enum ComputeDevice {
    /// The devices this build can compute on.
    package static let supported = ["cpu"]

    /// Checks `section.<key>` when present; an absent key means the CPU.
    package static func check(_ section: ConfigSection, key: String = "device") throws {
        guard let value = section.nonNull(key) else { return }
        let device = try value.string()
        guard supported.contains(device) else {
            let hint =
                device.hasPrefix("cuda") ? " (no GPU support: tensors are computed on the CPU with OpenBLAS)" : ""
            throw TrainError.invalidSetting(
                key: value.dottedPath,
                problem: "'\(device)' is not a supported device; supported: \(supported.joined(separator: ", "))\(hint)"
            )
        }
    }
}
