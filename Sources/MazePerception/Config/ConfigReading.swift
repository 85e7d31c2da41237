import MazeConfig
import MazeTensor

/// Typed reads of the perception settings Maze configs hold.
extension ConfigSection {
    /// `non_lin`: a torch module name (`Tanh`, `torch.nn.ReLU`, `SELU`, `Identity`) as an activation.
    func nonLinearity(_ key: String = "non_lin") throws -> Activation {
        try section(key).activation()
    }

    /// This section, a torch module name (`Tanh`, `torch.nn.ReLU`, `Identity`), as an activation.
    func activation() throws -> Activation {
        let name = try string()
        let shortName = name.split(separator: ".").last.map(String.init) ?? name
        guard let activation = Activation.allCases.first(where: { $0.rawValue.lowercased() == shortName.lowercased() })
        else {
            throw PerceptionError.invalidConfiguration(
                "\(dottedPath): unsupported non-linearity '\(name)' (supported: Tanh, ReLU, SELU, Identity)")
        }
        return activation
    }

    /// A per-layer setting of a block with `layers` layers, written as Maze allows: one value for every
    /// layer, or a list with one value per layer.
    func perLayer<Value>(_ key: String, layers: Int, _ read: (ConfigSection) throws -> Value) throws -> [Value] {
        let setting = try section(key)
        guard case .list = setting.node else { return [Value](repeating: try read(setting), count: layers) }
        let values = try setting.elements().map(read)
        guard values.count == layers else {
            throw PerceptionError.invalidConfiguration(
                "\(setting.dottedPath): needs one entry per layer (\(layers)), got \(values.count)")
        }
        return values
    }

    /// `hidden_units`: a non-empty list of positive layer widths.
    func hiddenUnits(_ key: String = "hidden_units") throws -> [Int] {
        let units = try ints(key)
        guard !units.isEmpty, units.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "\(try section(key).dottedPath): needs positive layer widths, got \(units)")
        }
        return units
    }

    /// Whether this section is null or an empty map (Maze's `hidden: {}` for "no block").
    var isAbsent: Bool {
        if isNull { return true }
        if case .map(let map) = node { return map.isEmpty }
        return false
    }
}
