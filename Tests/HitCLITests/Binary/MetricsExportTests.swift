import Foundation
import HitTarget
import HitTestSupport
import Testing

/// `--otlp`: metrics pushed while the run goes, decoded by a receiver that uses OpenTelemetry's own
/// protobuf definitions, and held against the run's JSON report.
@Suite(.enabled(if: OTLPReceiver.isInstalled, "needs scripts/setup opentelemetry-proto"))
struct MetricsExportTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The metrics of a push, by name.
    static func metrics(of push: [String: Any]) -> [String: [String: Any]] {
        let request = push["request"] as? [String: Any]
        let resource = (request?["resourceMetrics"] as? [[String: Any]])?.first
        let scope = (resource?["scopeMetrics"] as? [[String: Any]])?.first
        let metrics = scope?["metrics"] as? [[String: Any]] ?? []
        return Dictionary(metrics.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func resource(of push: [String: Any]) -> [String: String] {
        let request = push["request"] as? [String: Any]
        let resource = ((request?["resourceMetrics"] as? [[String: Any]])?.first?["resource"] as? [String: Any])
        return Dictionary((resource?["attributes"] as? [[String: Any]] ?? []).map { attribute in
            let value = attribute["value"] as? [String: Any] ?? [:]
            return (attribute["key"] as? String ?? "", (value["stringValue"] ?? value["intValue"]).map { "\($0)" } ?? "")
        }, uniquingKeysWith: { a, _ in a })
    }

    static func attributes(_ point: [String: Any]) -> [String: String] {
        Dictionary((point["attributes"] as? [[String: Any]] ?? []).map { attribute in
            let value = attribute["value"] as? [String: Any] ?? [:]
            return (attribute["key"] as? String ?? "", (value["stringValue"] ?? value["intValue"]).map { "\($0)" } ?? "")
        }, uniquingKeysWith: { a, _ in a })
    }

    /// Protobuf's JSON mapping writes 64-bit integers as strings.
    static func number(_ value: Any?) -> Int {
        (value as? String).flatMap { Int($0) } ?? (value as? Int) ?? 0
    }

    @Test func theLastPushHoldsTheRunAsItsReportDoes() throws {
        let receiver = try OTLPReceiver()
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "400", "-c", "4", "-q", "-o", "json", "--otlp-endpoint", receiver.url,
                                      server.baseURL + "/", server.baseURL + "/status/503"],
                                     environment: ["OTEL_SERVICE_NAME": "checkout", "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=ci"])
        #expect(hit.exitStatus == 1, "half the requests fail by status")
        #expect(!hit.stderr.contains("warning"), "\(hit.stderr)")
        let report = try Self.json(hit.stdout)
        let pushes = try receiver.pushes()
        let last = try #require(pushes.last)
        #expect(last["path"] as? String == "/v1/metrics")
        #expect((last["headers"] as? [String: String])?["content-type"] == "application/x-protobuf")
        #expect(last["error"] == nil)
        let resource = Self.resource(of: last)
        #expect(resource["service.name"] == "checkout")
        #expect(resource["deployment.environment"] == "ci")
        #expect(resource["service.instance.id"]?.count == 36)
        #expect(resource["hit.run.id"]?.hasPrefix("fnv1a64:") == true)

        let metrics = Self.metrics(of: last)
        let duration = try #require(metrics["http.client.request.duration"])
        #expect(duration["unit"] as? String == "s")
        let histogram = try #require(duration["exponentialHistogram"] as? [String: Any])
        #expect(histogram["aggregationTemporality"] as? String == "AGGREGATION_TEMPORALITY_CUMULATIVE")
        let points = try #require(histogram["dataPoints"] as? [[String: Any]])
        // One series per status, each with the run's count, attributes by the semantic conventions.
        let byStatus = Dictionary(points.map { (Self.attributes($0)["http.response.status_code"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byStatus.keys) == ["200", "503"])
        let statusCodes = try #require(report["statusCodes"] as? [String: Int])
        for (status, point) in byStatus {
            #expect(Self.number(point["count"]) == statusCodes[status], "\(status)")
            let buckets = (point["positive"] as? [String: Any])?["bucketCounts"] as? [Any] ?? []
            #expect(buckets.map(Self.number).reduce(0, +) == statusCodes[status])
            let attributes = Self.attributes(point)
            #expect(attributes["http.request.method"] == "GET")
            #expect(attributes["server.address"] == "127.0.0.1")
            #expect(attributes["server.port"] == String(server.port))
            #expect(attributes["network.protocol.version"] == "1.1")
            #expect(attributes.keys.allSatisfy { !$0.contains("url") }, "no URL as an attribute")
            #expect((point["max"] as? Double ?? 0) >= (point["min"] as? Double ?? 1))
        }
        let summary = try #require(report["summary"] as? [String: Any])
        let completed = try #require(metrics["hit.requests.completed"]?["sum"] as? [String: Any])
        #expect(Self.number((completed["dataPoints"] as? [[String: Any]])?.first?["asInt"]) == summary["completed"] as? Int)
        #expect(completed["isMonotonic"] as? Bool == true)
        let sent = try #require(metrics["hit.requests.sent"]?["sum"] as? [String: Any])
        #expect(Self.number((sent["dataPoints"] as? [[String: Any]])?.first?["asInt"]) == 400)
        #expect(metrics["hit.requests.in_flight"]?["gauge"] != nil)
        let phases = try #require((metrics["hit.phase.duration"]?["exponentialHistogram"] as? [String: Any])?["dataPoints"] as? [[String: Any]])
        #expect(Set(phases.compactMap { Self.attributes($0)["hit.phase"] }).isSuperset(of: ["dns", "connect", "first byte", "transfer"]))
    }

    /// `--otlp-protocol http/json`: OTLP's JSON, which the receiver parses strictly with the
    /// official definitions (an unknown field or a wrong type fails), holding the same figures.
    @Test func jsonPushesHoldWhatProtobufPushesHold() throws {
        let receiver = try OTLPReceiver()
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "200", "-c", "4", "-q", "-o", "json", "--otlp-endpoint", receiver.url, "--otlp-protocol", "http/json",
                                      server.baseURL + "/", server.baseURL + "/status/404"],
                                     environment: ["OTEL_RESOURCE_ATTRIBUTES": "service.name=cart,team=perf"])
        #expect(!hit.stderr.contains("warning"), "\(hit.stderr)")
        let report = try Self.json(hit.stdout)
        let last = try #require(try receiver.pushes().last)
        #expect((last["headers"] as? [String: String])?["content-type"] == "application/json")
        #expect(last["error"] == nil, "\(last["error"] ?? "")")
        let resource = Self.resource(of: last)
        #expect(resource["service.name"] == "cart")
        #expect(resource["team"] == "perf")
        let metrics = Self.metrics(of: last)
        let histogram = try #require(metrics["http.client.request.duration"]?["exponentialHistogram"] as? [String: Any])
        #expect(histogram["aggregationTemporality"] as? String == "AGGREGATION_TEMPORALITY_CUMULATIVE")
        let points = try #require(histogram["dataPoints"] as? [[String: Any]])
        let statusCodes = try #require(report["statusCodes"] as? [String: Int])
        #expect(points.count == 2)
        for point in points {
            let status = try #require(Self.attributes(point)["http.response.status_code"])
            #expect(Self.number(point["count"]) == statusCodes[status])
            let buckets = (point["positive"] as? [String: Any])?["bucketCounts"] as? [Any] ?? []
            #expect(buckets.map(Self.number).reduce(0, +) == statusCodes[status])
            #expect(point["scale"] is Int && (point["sum"] as? Double ?? 0) > 0)
        }
        let completed = try #require(metrics["hit.requests.completed"]?["sum"] as? [String: Any])
        #expect(Self.number((completed["dataPoints"] as? [[String: Any]])?.first?["asInt"]) == 200)
        #expect(completed["isMonotonic"] as? Bool == true)
    }

    /// Delta temporality: each push holds what came since the last, and they add up to the run.
    @Test func deltaPushesAddUpToTheRun() throws {
        let receiver = try OTLPReceiver()
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-rps", "200", "-z", "2s", "-q", "--otlp-endpoint", receiver.url, "--metrics-interval", "500ms",
                                      "--otlp-temporality", "delta", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let pushes = try receiver.pushes()
        #expect(pushes.count >= 3, "a push every 500 ms, and the last")
        var total = 0
        for push in pushes {
            guard let histogram = Self.metrics(of: push)["http.client.request.duration"]?["exponentialHistogram"] as? [String: Any] else { continue }
            #expect(histogram["aggregationTemporality"] as? String == "AGGREGATION_TEMPORALITY_DELTA")
            total += (histogram["dataPoints"] as? [[String: Any]] ?? []).map { Self.number($0["count"]) }.reduce(0, +)
        }
        #expect(total == 400)
        // Under a rate, corrected latency and lateness are pushed too.
        let names = Set(pushes.flatMap { Self.metrics(of: $0).keys })
        #expect(names.isSuperset(of: ["hit.client.request.corrected_duration", "hit.request.lateness"]))
    }

    /// The standard variables name the collector and its headers; a header's value is a secret.
    @Test func theEnvironmentNamesTheCollectorAndItsSecretHeaders() throws {
        let receiver = try OTLPReceiver()
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "20", "--otlp", server.baseURL + "/"],
                                     environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url,
                                                   "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20s3cret-token,x-team=load"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let headers = try #require(try receiver.pushes().last?["headers"] as? [String: String])
        #expect(headers["authorization"] == "Bearer s3cret-token")
        #expect(headers["x-team"] == "load")
        #expect(!hit.stdout.contains("s3cret") && !hit.stderr.contains("s3cret"))
        // A malformed variable is refused before anything is sent, without its value.
        let seen = server.stats.requestsSeen
        let refused = try HitProcess.run(["-n", "1", "--otlp", server.baseURL + "/"],
                                         environment: ["OTEL_EXPORTER_OTLP_HEADERS": "s3cret-without-a-key"])
        #expect(refused.exitStatus == 64)
        #expect(refused.stderr.contains("OTEL_EXPORTER_OTLP_HEADERS: an entry") && !refused.stderr.contains("s3cret"), "\(refused.stderr)")
        #expect(server.stats.requestsSeen == seen)
    }

    /// A dead collector, one that refuses (400, 503) and a slow one: the run, its report and its
    /// exit status are what they would have been, and stderr has one warning.
    @Test(arguments: ["dead", "400", "503", "slow"])
    func aFailingCollectorCostsTheRunNothing(collector: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        var receiver: OTLPReceiver?
        let endpoint: String
        switch collector {
        case "dead": endpoint = "http://127.0.0.1:\(try closedPort())"
        case "slow":
            receiver = try OTLPReceiver(delay: 5)
            endpoint = receiver!.url
        default:
            receiver = try OTLPReceiver(status: Int(collector)!)
            endpoint = receiver!.url
        }
        let started = Date()
        let hit = try HitProcess.run(["-rps", "100", "-z", "2s", "-q", "-o", "json", "--otlp-endpoint", endpoint, "--otlp-interval", "200ms",
                                      server.baseURL + "/"], environment: ["OTEL_EXPORTER_OTLP_TIMEOUT": collector == "slow" ? "8000" : nil])
        let seconds = Date().timeIntervalSince(started)
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let summary = try #require(try Self.json(hit.stdout)["summary"] as? [String: Any])
        #expect(summary["completed"] as? Int == 200 && summary["succeeded"] as? Int == 200)
        let lines = hit.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(hit.stderr)")
        #expect(lines.first?.hasPrefix("hit: warning: ") == true)
        switch collector {
        case "400", "503": #expect(hit.stderr.contains("the collector answered \(collector)"))
        case "slow": #expect(hit.stderr.contains("takes longer to answer than the pushes' interval"))
        default: #expect(hit.stderr.contains("pushing metrics to http://127.0.0.1:"))
        }
        // The last push waits 5 s at most for a slow collector.
        #expect(seconds < 2 + 5 + 3, "took \(seconds) s")
    }
}
