@testable import Hit
import Testing

/// OTLP's JSON read from the protobuf bytes: names in lowerCamelCase, 64-bit integers as strings,
/// enums as integers, repeated fields as arrays even of one.
@Suite struct OTLPJSONTests {
    @Test func aHistogramPointReadsAsOTLPJSON() {
        var writer = ProtobufWriter()
        writer.string(1, "http.client.request.duration")
        writer.string(3, "s")
        writer.message(10) { histogram in
            histogram.message(1) { point in
                point.message(1) { pair in
                    pair.string(1, "server.port")
                    pair.message(2) { $0.int64(3, 8080) }
                }
                point.fixed64(3, 1_700_000_000_000_000_000)
                point.fixed64(4, 3)
                point.double(5, 0.0125)
                point.sint(6, -2)
                point.message(8) { positive in
                    positive.sint(1, -7)
                    positive.packedUInt64(2, [1, 0, 2])
                }
            }
            histogram.uint64(2, 2)
        }
        #expect(OTLPJSON.object(writer.bytes[...], message: "Metric") == """
            {"name":"http.client.request.duration","unit":"s","exponentialHistogram":{"dataPoints":[{"attributes":[{"key":"server.port",\
            "value":{"intValue":"8080"}}],"timeUnixNano":"1700000000000000000","count":"3","sum":0.0125,"scale":-2,\
            "positive":{"offset":-7,"bucketCounts":["1","0","2"]}}],"aggregationTemporality":2}}
            """)
    }

    @Test func stringsAreEscapedAndNumbersReadBack() {
        #expect(OTLPJSON.quoted("a\"b\\c\nd\u{1}") == #""a\"b\\c\nd\u0001""#)
        #expect(OTLPJSON.number(3) == "3")
        #expect(OTLPJSON.number(0.000_015) == "1.5e-05")
        #expect(Double(OTLPJSON.number(0.1 + 0.2)) == 0.1 + 0.2)
        #expect(OTLPJSON.number(.nan) == "\"NaN\"")
    }

    @Test func aFieldTheSchemaDoesNotKnowIsLeftOut() {
        var writer = ProtobufWriter()
        writer.string(1, "hit")
        writer.uint64(9, 5)
        writer.string(2, "1.0")
        #expect(OTLPJSON.object(writer.bytes[...], message: "InstrumentationScope") == #"{"name":"hit","version":"1.0"}"#)
    }
}
