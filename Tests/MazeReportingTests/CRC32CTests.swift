import Testing

@testable import MazeReporting

@Suite("CRC-32C and TFRecord framing")
struct CRC32CTests {
    @Test("checksums match the published CRC-32C check value and the RFC 3720 vectors")
    func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map(UInt8.init)) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    @Test("the mask rotates right by 15 bits and adds TFRecord's constant")
    func masking() {
        #expect(CRC32C.masked([UInt8]()) == 0xA282_EAD8)
        let crc: UInt32 = 0xE306_9283
        #expect(CRC32C.masked(Array("123456789".utf8)) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
    }

    @Test("a record is length, masked length CRC, data, masked data CRC, little-endian")
    func recordFraming() {
        let data: [UInt8] = [1, 2, 3]
        let record = TensorBoardEvent.record(data)
        #expect(record.count == 8 + 4 + 3 + 4)
        #expect(Array(record[0..<8]) == [3, 0, 0, 0, 0, 0, 0, 0])
        let lengthCRC = CRC32C.masked(Array(record[0..<8]))
        #expect(Array(record[8..<12]) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: lengthCRC >> $0) })
        #expect(Array(record[12..<15]) == data)
        let dataCRC = CRC32C.masked(data)
        #expect(Array(record[15..<19]) == [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: dataCRC >> $0) })
    }
}
