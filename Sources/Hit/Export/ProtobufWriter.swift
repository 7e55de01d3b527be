/// Protocol Buffers' wire format, written by hand for the few messages hit sends (OTLP's metrics,
/// Prometheus remote write): varints, 64-bit fixed fields, doubles and length-delimited fields.
/// A field left at its default is still written when asked: the messages here are small.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    init() {}

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func key(_ field: Int, _ wireType: UInt64) {
        varint(UInt64(field) << 3 | wireType)
    }

    mutating func uint64(_ field: Int, _ value: UInt64) {
        key(field, 0)
        varint(value)
    }

    mutating func int64(_ field: Int, _ value: Int64) {
        key(field, 0)
        varint(UInt64(bitPattern: value))
    }

    /// A zigzag-encoded `sint32` or `sint64`.
    mutating func sint(_ field: Int, _ value: Int64) {
        key(field, 0)
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func bool(_ field: Int, _ value: Bool) {
        uint64(field, value ? 1 : 0)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        key(field, 1)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func sfixed64(_ field: Int, _ value: Int64) {
        fixed64(field, UInt64(bitPattern: value))
    }

    mutating func double(_ field: Int, _ value: Double) {
        fixed64(field, value.bitPattern)
    }

    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// A nested message, written by `body`.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        bytes(field, nested.bytes)
    }

    /// A packed `repeated uint64`.
    mutating func packedUInt64(_ field: Int, _ values: [UInt64]) {
        var nested = ProtobufWriter()
        for value in values { nested.varint(value) }
        bytes(field, nested.bytes)
    }

    /// A packed `repeated sint64` (zigzag-encoded).
    mutating func packedSInt64(_ field: Int, _ values: [Int64]) {
        var nested = ProtobufWriter()
        for value in values { nested.varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }
        bytes(field, nested.bytes)
    }
}
