import MazeConfig
import MazeTensor

/// Typed reads of the perception settings Maze configs hold.
extension ConfigSection {
    /// `non_lin`: a torch module name (`Tanh`, `torch.nn.ReLU`, `Identity`) as an activation.
    func nonLinearity(_ key: String = "non_lin") throws -> Activation {
        let name = try string(key)
        let shortName = name.split(separator: ".").last.map(String.init) ?? name
        guard let activation = Activation.allCases.first(where: { $0.rawValue.lowercased() == shortName.lowercased() })
        else {
            throw PerceptionError.invalidConfiguration(
                "\(try section(key).dottedPath): unsupported non-linearity '\(name)' (supported: Tanh, ReLU, Identity)")
        }
        return activation
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
