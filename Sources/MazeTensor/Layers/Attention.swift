import Foundation

extension Variable {
    /// Scaled dot-product attention (Vaswani et al. 2017, eq. 1): `softmax(Q·Kᵀ / √d_k) · V` with
    /// `self` = Q `[B, L_q, d_k]`, `key` `[B, L_k, d_k]`, `value` `[B, L_k, d_v]`, giving `[B, L_q, d_v]`.
    /// Where `keyMask` (`[B, L_k]`) is false the key is not attended to; a query whose keys are all
    /// masked attends to none of them and yields zeros.
    public func attention(key: Variable, value: Variable, keyMask: Mask? = nil) throws(TensorError) -> Variable {
        guard shape.count == 3, key.shape.count == 3, value.shape.count == 3, shape[2] == key.shape[2],
            key.shape[1] == value.shape[1], shape[0] == key.shape[0], key.shape[0] == value.shape[0]
        else { throw .shapeMismatch(operation: "attention", shape, key.shape) }
        let scale = 1 / Float(shape[2]).squareRoot()
        var scores = try matmul(key.transposed(-2, -1)) * scale
        guard let keyMask else { return try scores.softmax(alongAxis: -1).matmul(value) }
        guard keyMask.shape == [key.shape[0], key.shape[1]] else {
            throw .shapeMismatch(operation: "attention mask", key.shape, keyMask.shape)
        }
        let (batch, keys) = (shape[0], key.shape[1])
        // Broadcast over queries; masked keys get a large negative score so their weight underflows to 0.
        // Multiplying by the mask afterwards also zeroes a row whose keys are all masked (uniform otherwise).
        let masked = try Mask(shape: [batch, 1, keys], elements: keyMask.elements.map { !$0 })
        scores = try scores.maskedFill(masked, with: -1e9)
        let present = try Tensor(shape: [batch, 1, keys], scalars: keyMask.elements.map { $0 ? 1 : 0 })
        return try (scores.softmax(alongAxis: -1) * tape.constant(present)).matmul(value)
    }
}

/// Multi-head attention as `torch.nn.MultiheadAttention(batch_first=True)`: the inputs are projected
/// by `in_proj_weight` `[3E, E]` / `in_proj_bias` `[3E]` into queries, keys and values, split into
/// `heads` heads of `E / heads` features, attended per head, concatenated and projected by
/// `out_proj.weight` `[E, E]` / `out_proj.bias` `[E]`. Parameters live under `<name>.…` with torch's names.
public struct MultiHeadAttention: Sendable, Equatable, Codable {
    /// Prefix of the parameter names.
    public let name: String
    /// `E`: width of queries, keys, values and output.
    public let embedDimension: Int
    /// Number of heads; divides `E`.
    public let heads: Int

    public init(name: String, embedDimension: Int, heads: Int) throws(TensorError) {
        guard embedDimension > 0, heads > 0, embedDimension % heads == 0 else {
            throw .invalidArgument(
                "attention '\(name)': embed dimension \(embedDimension) must be a positive multiple of num_heads \(heads)"
            )
        }
        self.name = name
        self.embedDimension = embedDimension
        self.heads = heads
        outputProjection = try Linear(name: name + ".out_proj", inputs: embedDimension, outputs: embedDimension)
    }

    /// `<name>.in_proj_weight`, `[3E, E]`.
    public var inputProjectionWeightName: String { name + ".in_proj_weight" }
    /// `<name>.in_proj_bias`, `[3E]`.
    public var inputProjectionBiasName: String { name + ".in_proj_bias" }
    /// `out_proj`, `[E, E]`.
    public let outputProjection: Linear

    /// Xavier-uniform projections and zero biases, as torch initialises the module.
    public func initialize(_ parameters: inout ParameterStore, using generator: inout some RandomNumberGenerator)
        throws(TensorError)
    {
        let e = embedDimension
        // torch draws in_proj_weight as one [3E, E] matrix.
        let bound = Float(6.0 / Double(e + e)).squareRoot()
        parameters[inputProjectionWeightName] = try Tensor(
            shape: [3 * e, e],
            scalars: (0..<(3 * e * e)).map { _ in Float.random(in: -bound...bound, using: &generator) })
        parameters[inputProjectionBiasName] = try Tensor(repeating: 0, shape: [3 * e])
        try outputProjection.initialize(&parameters, with: .xavierUniform(gain: 1), using: &generator)
    }

    /// `[B, L_q, E]` attended over `key`/`value` `[B, L_k, E]`; `keyMask` `[B, L_k]` hides keys (true = visible).
    public func callAsFunction(
        query: Variable, key: Variable, value: Variable, keyMask: Mask? = nil, _ parameters: BoundParameters
    ) throws(TensorError) -> Variable {
        let e = embedDimension
        for input in [query, key, value] where input.shape.count != 3 || input.shape[2] != e {
            throw .shapeMismatch(operation: "attention '\(name)'", input.shape, [-1, -1, e])
        }
        let weight = try parameters[inputProjectionWeightName]
        let bias = try parameters[inputProjectionBiasName]
        func project(_ input: Variable, _ part: Int) throws(TensorError) -> Variable {
            try input.linear(
                weight: weight.slice(alongAxis: 0, (part * e)..<((part + 1) * e)),
                bias: bias.slice(alongAxis: 0, (part * e)..<((part + 1) * e)))
        }
        let batch = query.shape[0]
        let queries = query.shape[1]
        let keys = key.shape[1]
        let width = e / heads
        // [B, L, E] → [B·heads, L, E / heads]
        func split(_ projected: Variable, _ length: Int) throws(TensorError) -> Variable {
            try projected.reshaped(to: [batch, length, heads, width]).permuted([0, 2, 1, 3]).reshaped(to: [
                batch * heads, length, width,
            ])
        }
        let headMask = try keyMask.map { mask throws(TensorError) in
            try Mask(
                shape: [batch * heads, keys],
                elements: (0..<batch).flatMap { b in
                    (0..<heads).flatMap { _ in mask.elements[(b * keys)..<((b + 1) * keys)] }
                })
        }
        let attended = try split(project(query, 0), queries).attention(
            key: split(project(key, 1), keys), value: split(project(value, 2), keys), keyMask: headMask)
        let merged = try attended.reshaped(to: [batch, heads, queries, width]).permuted([0, 2, 1, 3]).reshaped(to: [
            batch, queries, e,
        ])
        return try outputProjection(merged, parameters)
    }
}
