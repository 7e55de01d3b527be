/// OTLP/HTTP's JSON encoding (`http/json`) of the protobuf request `OTLPMetrics` writes: the
/// bytes are read back field by field against the schema of the messages hit sends, and written
/// as protobuf's JSON mapping with OTLP's rules: keys in lowerCamelCase, enums as integers,
/// 64-bit integers as decimal strings. One encoder of the metrics, two encodings of its output.
enum OTLPJSON {
    /// What a field holds, as protobuf types it.
    enum Kind {
        case string, bool, enumeration, sint32, int64, fixed64, sfixed64, double
        case packedUInt64
        case message(String)
    }

    struct Field {
        let name: String
        let kind: Kind
        var repeated = false
    }

    /// The fields of the messages `OTLPMetrics` writes (opentelemetry-proto's `metrics/v1`,
    /// `common/v1`, `resource/v1`), by message and field number.
    static let schema: [String: [Int: Field]] = [
        "ExportMetricsServiceRequest": [1: Field(name: "resourceMetrics", kind: .message("ResourceMetrics"), repeated: true)],
        "ResourceMetrics": [1: Field(name: "resource", kind: .message("Resource")),
                            2: Field(name: "scopeMetrics", kind: .message("ScopeMetrics"), repeated: true)],
        "Resource": [1: Field(name: "attributes", kind: .message("KeyValue"), repeated: true)],
        "ScopeMetrics": [1: Field(name: "scope", kind: .message("InstrumentationScope")),
                         2: Field(name: "metrics", kind: .message("Metric"), repeated: true)],
        "InstrumentationScope": [1: Field(name: "name", kind: .string), 2: Field(name: "version", kind: .string)],
        "Metric": [1: Field(name: "name", kind: .string), 2: Field(name: "description", kind: .string), 3: Field(name: "unit", kind: .string),
                   5: Field(name: "gauge", kind: .message("Gauge")), 7: Field(name: "sum", kind: .message("Sum")),
                   10: Field(name: "exponentialHistogram", kind: .message("ExponentialHistogram"))],
        "Gauge": [1: Field(name: "dataPoints", kind: .message("NumberDataPoint"), repeated: true)],
        "Sum": [1: Field(name: "dataPoints", kind: .message("NumberDataPoint"), repeated: true),
                2: Field(name: "aggregationTemporality", kind: .enumeration), 3: Field(name: "isMonotonic", kind: .bool)],
        "ExponentialHistogram": [1: Field(name: "dataPoints", kind: .message("ExponentialHistogramDataPoint"), repeated: true),
                                 2: Field(name: "aggregationTemporality", kind: .enumeration)],
        "NumberDataPoint": [7: Field(name: "attributes", kind: .message("KeyValue"), repeated: true),
                            2: Field(name: "startTimeUnixNano", kind: .fixed64), 3: Field(name: "timeUnixNano", kind: .fixed64),
                            4: Field(name: "asDouble", kind: .double), 6: Field(name: "asInt", kind: .sfixed64)],
        "ExponentialHistogramDataPoint": [
            1: Field(name: "attributes", kind: .message("KeyValue"), repeated: true),
            2: Field(name: "startTimeUnixNano", kind: .fixed64), 3: Field(name: "timeUnixNano", kind: .fixed64),
            4: Field(name: "count", kind: .fixed64), 5: Field(name: "sum", kind: .double), 6: Field(name: "scale", kind: .sint32),
            7: Field(name: "zeroCount", kind: .fixed64), 8: Field(name: "positive", kind: .message("Buckets")),
            12: Field(name: "min", kind: .double), 13: Field(name: "max", kind: .double),
        ],
        "Buckets": [1: Field(name: "offset", kind: .sint32), 2: Field(name: "bucketCounts", kind: .packedUInt64)],
        "KeyValue": [1: Field(name: "key", kind: .string), 2: Field(name: "value", kind: .message("AnyValue"))],
        "AnyValue": [1: Field(name: "stringValue", kind: .string), 3: Field(name: "intValue", kind: .int64)],
    ]

    /// The JSON of an `ExportMetricsServiceRequest` in protobuf.
    static func transcode(_ protobuf: [UInt8]) -> [UInt8] {
        Array(object(protobuf[...], message: "ExportMetricsServiceRequest").utf8)
    }

    /// The message `bytes` of type `message` as a JSON object, its fields in order of first
    /// appearance; a field the schema does not know is left out.
    static func object(_ bytes: ArraySlice<UInt8>, message: String) -> String {
        let fields = schema[message] ?? [:]
        var order: [Int] = []
        var values: [Int: [String]] = [:]
        var reader = Reader(bytes: bytes)
        while let (number, wireType) = reader.key() {
            guard let value = reader.value(wireType: wireType) else { break }
            guard let field = fields[number], let json = Self.json(value, kind: field.kind) else { continue }
            if values[number] == nil { order.append(number) }
            values[number, default: []].append(json)
        }
        let members = order.map { number -> String in
            let field = fields[number]!
            let value = field.repeated ? "[" + values[number]!.joined(separator: ",") + "]" : values[number]!.last!
            return quoted(field.name) + ":" + value
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    private static func json(_ value: Reader.Value, kind: Kind) -> String? {
        switch (value, kind) {
        case (.varint(let raw), .bool): raw != 0 ? "true" : "false"
        case (.varint(let raw), .enumeration): String(Int32(truncatingIfNeeded: raw))
        case (.varint(let raw), .sint32): String(Int32(truncatingIfNeeded: Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)))
        case (.varint(let raw), .int64): quoted(String(Int64(bitPattern: raw)))
        case (.fixed64(let raw), .fixed64): quoted(String(raw))
        case (.fixed64(let raw), .sfixed64): quoted(String(Int64(bitPattern: raw)))
        case (.fixed64(let raw), .double): number(Double(bitPattern: raw))
        case (.bytes(let bytes), .string): quoted(String(decoding: bytes, as: UTF8.self))
        case (.bytes(let bytes), .message(let type)): object(bytes, message: type)
        case (.bytes(let bytes), .packedUInt64):
            { var reader = Reader(bytes: bytes); return "[" + reader.varints().map { quoted(String($0)) }.joined(separator: ",") + "]" }()
        default: nil
        }
    }

    /// A double as JSON has it: the shortest form that reads back the same; NaN and the
    /// infinities, which JSON lacks, as protobuf's JSON mapping spells them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.jsonEscaped + "\""
    }

    /// Protobuf's wire format, read.
    struct Reader {
        enum Value {
            case varint(UInt64)
            case fixed64(UInt64)
            case fixed32(UInt32)
            case bytes(ArraySlice<UInt8>)
        }

        var bytes: ArraySlice<UInt8>

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = bytes.popFirst() {
                guard shift < 64 else { return nil }
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func key() -> (Int, UInt64)? {
            guard !bytes.isEmpty, let key = varint() else { return nil }
            return (Int(key >> 3), key & 7)
        }

        mutating func value(wireType: UInt64) -> Value? {
            switch wireType {
            case 0: return varint().map(Value.varint)
            case 1:
                guard bytes.count >= 8 else { return nil }
                let raw = bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                bytes = bytes.dropFirst(8)
                return .fixed64(raw)
            case 2:
                guard let length = varint(), length <= bytes.count else { return nil }
                let value = bytes.prefix(Int(length))
                bytes = bytes.dropFirst(Int(length))
                return .bytes(value)
            case 5:
                guard bytes.count >= 4 else { return nil }
                let raw = bytes.prefix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                bytes = bytes.dropFirst(4)
                return .fixed32(raw)
            default: return nil
            }
        }

        /// Every varint to the end: a packed field's values.
        mutating func varints() -> [UInt64] {
            var values: [UInt64] = []
            while !bytes.isEmpty, let value = varint() { values.append(value) }
            return values
        }
    }
}
