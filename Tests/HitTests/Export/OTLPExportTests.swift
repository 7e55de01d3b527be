@testable import Hit
import Testing

/// The OTEL_EXPORTER_OTLP_* variables, read as OpenTelemetry's SDKs read them.
@Suite struct OTLPExportTests {
    @Test func theEndpointComesFromTheFlagThenTheVariables() throws {
        #expect(try OTLPExport(environment: [:]).url == "http://localhost:4318/v1/metrics")
        #expect(try OTLPExport(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"]).url == "http://collector:4318/v1/metrics")
        #expect(try OTLPExport(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:1", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://b:2/custom"]).url
                == "http://b:2/custom")
        #expect(try OTLPExport(environment: ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://b:2/custom"], endpoint: "http://c:3").url
                == "http://c:3/v1/metrics")
    }

    @Test func headersTimeoutTemporalityAndResource() throws {
        let export = try OTLPExport(environment: [
            "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20x, x-team = load", "OTEL_EXPORTER_OTLP_METRICS_HEADERS": "x-more=1",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500", "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "Delta",
            "OTEL_SERVICE_NAME": "checkout", "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=ci,team=perf",
        ])
        #expect(export.headers == ["authorization: Bearer x", "x-team: load", "x-more: 1"])
        #expect(export.timeout == .milliseconds(2500))
        #expect(export.delta)
        #expect(export.serviceName == "checkout")
        #expect(export.resourceAttributes == ["deployment.environment=ci", "team=perf"])
        #expect(try !OTLPExport(environment: ["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "delta"], temporality: "cumulative").delta)
    }

    @Test(arguments: [
        (["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], "is not sent: hit sends http/protobuf"),
        (["OTEL_EXPORTER_OTLP_TIMEOUT": "soon"], "is not a positive number of milliseconds"),
        (["OTEL_EXPORTER_OTLP_HEADERS": "secret-value"], "OTEL_EXPORTER_OTLP_HEADERS: an entry is not key=value"),
        (["OTEL_EXPORTER_OTLP_HEADERS": "a=%zz"], "OTEL_EXPORTER_OTLP_HEADERS: an entry 'a' is not key=value"),
        (["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"], "is not an http:// or https:// URL"),
        (["OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "sometimes"], "is not cumulative or delta"),
    ])
    func badSettingsAreRefusedWithoutTheirSecrets(environment: [String: String], message: String) {
        do {
            _ = try OTLPExport(environment: environment)
            Issue.record("\(environment) was taken")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(!error.description.contains("secret-value") && !error.description.contains("%zz"))
        }
    }

    /// The protobuf writer against bytes worked out by hand from the wire format.
    @Test func protobufWireFormat() {
        var writer = ProtobufWriter()
        writer.uint64(1, 150)
        writer.sint(2, -1)
        writer.string(3, "hi")
        writer.fixed64(4, 1)
        writer.message(5) { $0.uint64(1, 1) }
        writer.packedUInt64(6, [1, 300])
        #expect(writer.bytes == [0x08, 0x96, 0x01, 0x10, 0x01, 0x1A, 0x02, 0x68, 0x69, 0x21, 1, 0, 0, 0, 0, 0, 0, 0,
                                 0x2A, 0x02, 0x08, 0x01, 0x32, 0x03, 0x01, 0xAC, 0x02])
    }
}
