/// Pre-processors by Maze name (`maze.preprocessors.FlattenPreProcessor` or the class name alone), built from a
/// `pre_processor_mapping` entry's `config`.
let preProcessorRegistry: Registry<@Sendable (ConfigSection) throws -> any PreProcessor> = {
    var registry = Registry<@Sendable (ConfigSection) throws -> any PreProcessor>(kind: "pre-processor")
    func register(
        _ name: String, keys: Set<String> = [], _ make: @escaping @Sendable (ConfigSection) throws -> any PreProcessor
    ) {
        registry.register(name, aliases: ["maze.preprocessors.\(name)"], keys: keys, make)
    }
    register("FlattenPreProcessor", keys: ["num_flatten_dims"]) { config in
        FlattenPreProcessor(numFlattenDims: try config.int("num_flatten_dims"))
    }
    register("OneHotPreProcessor") { _ in OneHotPreProcessor() }
    register("UnSqueezePreProcessor", keys: ["dim"]) { config in UnsqueezePreProcessor(dim: try config.int("dim")) }
    register("TransposePreProcessor", keys: ["dim_order"]) { config in
        TransposePreProcessor(dimOrder: try config.ints("dim_order"))
    }
    register("Rgb2GrayPreProcessor", keys: ["rgb_dim"]) { config in
        Rgb2GrayPreProcessor(rgbDim: try config.optionalInt("rgb_dim") ?? -1)
    }
    register("ResizeImgPreProcessor", keys: ["target_size", "transpose"]) { config in
        let sizeSection = try config.section("target_size")
        let size = try sizeSection.ints()
        guard size.count == 2 else { throw sizeSection.invalid("must be [height, width], got \(size)") }
        return ResizeImgPreProcessor(
            targetSize: (size[0], size[1]), transpose: try config.optionalBool("transpose") ?? false)
    }
    return registry
}()
