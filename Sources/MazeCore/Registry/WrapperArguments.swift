/// Reading wrapper parameters from configuration, as Maze's wrapper config keys name them.
extension ComponentArguments {
    /// The list of mappings `key` (e.g. `stack_config`, `pre_processor_mapping`).
    func mappings(_ key: String) throws(MazeError) -> [ComponentArguments] {
        try (list(key) ?? []).map { value throws(MazeError) in
            guard case .map(let entry) = value else { throw .invalidConfiguration("every entry of '\(key)' must be a mapping") }
            return entry
        }
    }

    /// The list of integers `key`.
    func ints(_ key: String) throws(MazeError) -> [Int]? {
        try list(key)?.map { value throws(MazeError) in
            guard let number = value.intValue else { throw .invalidConfiguration("'\(key)' must list integers, got \(value)") }
            return number
        }
    }

    /// The nested mapping `key` of mappings (e.g. `split_config`, `discretization_config`).
    func nestedMaps(_ key: String) throws(MazeError) -> [String: ComponentArguments] {
        var result: [String: ComponentArguments] = [:]
        for (name, value) in try map(key) ?? [:] {
            guard case .map(let entry) = value else { throw .invalidConfiguration("'\(key).\(name)' must be a mapping") }
            result[name] = entry
        }
        return result
    }
}

/// Pre-processors by Maze name (`maze.preprocessors.FlattenPreProcessor` or the class name alone).
let preProcessorRegistry: Registry<@Sendable (ComponentArguments) throws(MazeError) -> any PreProcessor> = {
    var registry = Registry<@Sendable (ComponentArguments) throws(MazeError) -> any PreProcessor>(kind: "pre-processor")
    func register(_ name: String, _ make: @escaping @Sendable (ComponentArguments) throws(MazeError) -> any PreProcessor) {
        registry.register(name, aliases: ["maze.preprocessors.\(name)"], make)
    }
    register("FlattenPreProcessor") { config throws(MazeError) in
        FlattenPreProcessor(numFlattenDims: try config.required("num_flatten_dims", config.int))
    }
    register("OneHotPreProcessor") { _ in OneHotPreProcessor() }
    register("UnSqueezePreProcessor") { config throws(MazeError) in UnsqueezePreProcessor(dim: try config.required("dim", config.int)) }
    register("TransposePreProcessor") { config throws(MazeError) in
        TransposePreProcessor(dimOrder: try config.required("dim_order", config.ints))
    }
    register("Rgb2GrayPreProcessor") { config throws(MazeError) in Rgb2GrayPreProcessor(rgbDim: try config.int("rgb_dim") ?? -1) }
    register("ResizeImgPreProcessor") { config throws(MazeError) in
        let size = try config.required("target_size", config.ints)
        guard size.count == 2 else { throw .invalidConfiguration("target_size must be [height, width]") }
        return ResizeImgPreProcessor(targetSize: (size[0], size[1]), transpose: try config.bool("transpose") ?? false)
    }
    return registry
}()
