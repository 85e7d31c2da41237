import MazeWire
import Testing

@Suite("WireTensor construction and accessors")
struct WireTensorTests {
    @Test("Typed values come back unchanged, in C order and little-endian bytes")
    func typedValues() throws {
        let tensor = try WireTensor(shape: [2, 2], values: [Float(1), 2, 3, 4])
        #expect(try tensor.values(as: Float.self) == [1, 2, 3, 4])
        #expect(tensor.elementCount == 4)
        #expect(Array(tensor.bytes[0..<4]) == [0x00, 0x00, 0x80, 0x3f])  // 1.0f little-endian
        let integers = try WireTensor(shape: [2], values: [Int64(1), -2])
        #expect(try integers.values(as: Int64.self) == [1, -2])
    }

    @Test("Any nonzero b1 byte reads as true")
    func boolBytes() throws {
        let tensor = try WireTensor(dtype: .bool, shape: [4], bytes: [0, 1, 2, 255])
        #expect(try tensor.bools() == [false, true, true, true])
        #expect(try WireTensor(shape: [2], bools: [true, false]).bytes == [1, 0])
    }

    @Test("Asking for the wrong element type is a dtype mismatch")
    func dtypeMismatch() throws {
        let tensor = try WireTensor(shape: [1], values: [Int32(7)])
        #expect(throws: WireError.dtypeMismatch(field: "tensor", expected: .float32, actual: .int32)) {
            try tensor.values(as: Float.self)
        }
        #expect(throws: WireError.dtypeMismatch(field: "tensor", expected: .bool, actual: .int32)) {
            try tensor.bools()
        }
    }

    @Test("Value count, negative dimensions and overflowing shapes are refused")
    func invalidConstruction() {
        #expect(throws: WireError.tensorSizeMismatch(field: "tensor", expectedBytes: 24, actualBytes: 20)) {
            try WireTensor(shape: [2, 3], values: [Float](repeating: 0, count: 5))
        }
        #expect(throws: WireError.invalidShape(field: "tensor", shape: [2, -1])) {
            try WireTensor(dtype: .uint8, shape: [2, -1], bytes: [])
        }
        #expect(throws: WireError.invalidShape(field: "tensor", shape: [1 << 32, 1 << 32])) {
            try WireTensor(dtype: .uint8, shape: [1 << 32, 1 << 32], bytes: [])
        }
    }

    @Test("A scalar has shape [] and one element")
    func scalar() throws {
        let scalar = try WireTensor(shape: [], values: [Int64(5)])
        #expect(scalar.elementCount == 1)
        #expect(try scalar.values(as: Int64.self) == [5])
    }
}
