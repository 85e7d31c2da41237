/// Literal syntax for building configuration values in code, e.g. programmatic overrides such as
/// `["_target_": "FlattenConcatPolicyNet", "hidden_units": [256, 256]]`; dictionary literals keep their order.
extension ConfigNode: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: ConfigNode...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, ConfigNode)...) { self = .map(ConfigMap(elements)) }
    public init(nilLiteral: ()) { self = .null }
}
