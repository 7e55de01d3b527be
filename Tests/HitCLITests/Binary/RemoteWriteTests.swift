import Foundation
import HitTarget
import HitTestSupport
import Testing

/// `--prometheus-remote-write`: metrics pushed to Debian's own Prometheus, with native histograms,
/// queried back over its HTTP API (`histogram_count`, `histogram_quantile`) and held against the
/// run's JSON report and against `hit merge` of three shards.
@Suite(.enabled(if: PrometheusServer.isInstalled, "needs Debian's prometheus (scripts/setup prometheus)"))
struct RemoteWriteTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// How far Prometheus's quantile may lie from the report's: within the native histogram's bucket
    /// (2^(2^-schema) wide), where the schema is the finest up to 8 whose buckets hold the run's
    /// range of latencies in 160, and HdrHistogram's 0.1%.
    static func tolerance(minUs: Double, maxUs: Double) -> Double {
        var schema = 8
        while schema > -4, log2(maxUs / minUs) * pow(2, Double(schema)) + 2 > 160 { schema -= 1 }
        return pow(2, pow(2, -Double(schema))) - 1 + 0.002
    }

    @Test func prometheusHoldsTheRunAsItsReportDoes() throws {
        let prometheus = try PrometheusServer()
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "400", "-c", "4", "-q", "-o", "json", "--prometheus-remote-write", prometheus.remoteWriteURL,
                                      server.baseURL + "/delay/2", server.baseURL + "/status/503"])
        #expect(hit.exitStatus == 1, "half the requests fail by status")
        #expect(!hit.stderr.contains("warning"), "\(hit.stderr)\n\(prometheus.output)")
        let report = try Self.json(hit.stdout)
        let statusCodes = try #require(report["statusCodes"] as? [String: Int])

        // One series per status, with the run's counts, labelled by the semantic conventions.
        let counts = try prometheus.query("histogram_count(http_client_request_duration_seconds)")
        #expect(Set(counts.compactMap { $0.labels["http_response_status_code"] }) == ["200", "503"], "\(counts)\n\(prometheus.output)")
        for sample in counts {
            let status = try #require(sample.labels["http_response_status_code"])
            #expect(Int(sample.value) == statusCodes[status], "\(status)")
            #expect(sample.labels["job"] == "hit")
            #expect(sample.labels["http_request_method"] == "GET")
            #expect(sample.labels["server_address"] == "127.0.0.1")
            #expect(sample.labels["server_port"] == String(server.port))
            #expect(sample.labels["network_protocol_version"] == "1.1")
            #expect(sample.labels["hit_run_id"]?.hasPrefix("fnv1a64:") == true)
            #expect(sample.labels.keys.allSatisfy { !$0.contains("url") }, "no URL as a label")
        }
        // The exact sum of latencies, and a p99 within the histograms' resolution.
        let latency = try #require(report["latency"] as? [String: Any])
        let meanUs = try #require(latency["meanUs"] as? Double ?? (latency["meanUs"] as? Int).map(Double.init))
        let sum = try prometheus.query("sum(histogram_sum(http_client_request_duration_seconds))")
        #expect(abs((sum.first?.value ?? 0) / 400 - meanUs / 1e6) < 2e-6, "mean \(sum.first?.value ?? 0 / 400) s against \(meanUs) µs")
        let percentiles = try #require(latency["percentilesUs"] as? [String: Int])
        let (minUs, maxUs) = (Double(try #require(latency["minUs"] as? Int)), Double(try #require(latency["maxUs"] as? Int)))
        let tolerance = Self.tolerance(minUs: minUs, maxUs: maxUs)
        for (quantile, key) in [(0.9, "90"), (0.99, "99")] {
            let value = try #require(try prometheus.query("histogram_quantile(\(quantile), sum(http_client_request_duration_seconds))").first?.value)
            let reported = Double(try #require(percentiles[key])) / 1e6
            #expect(abs(value / reported - 1) <= tolerance, "p\(key): Prometheus \(value) s, the report \(reported) s (tolerance \(tolerance))")
        }
        // Counters and the phases.
        #expect(try prometheus.query("hit_requests_sent_total").first?.value == 400)
        #expect(try prometheus.query("hit_requests_completed_total").first?.value == 400)
        #expect(try prometheus.query("hit_requests_in_flight").first?.value == 0)
        let phases = try prometheus.query("histogram_count(hit_phase_duration_seconds)")
        #expect(Set(phases.compactMap { $0.labels["hit_phase"] }).isSuperset(of: ["dns", "connect", "first byte", "transfer"]))
        #expect(phases.first { $0.labels["hit_phase"] == "first byte" }?.value == 400)
    }

    /// Three shards of one run push to one Prometheus: summed there, their histograms give the
    /// merged report's count and p99.
    @Test func threeShardsSumToTheMergedReport() throws {
        let prometheus = try PrometheusServer()
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let start = String(format: "@%.3f", Date().timeIntervalSince1970 + 1.5)
        let shards = try (0..<3).map { index in
            try HitProcess(["--shard", "\(index)/3", "--start-at", start, "-n", "600", "-c", "6", "-rps", "300", "-q",
                            "--json-file", directory + "/shard-\(index).json", "--prometheus-remote-write", prometheus.remoteWriteURL,
                            "--metrics-interval", "500ms", server.baseURL + "/delay/1", server.baseURL + "/delay/8"])
        }
        for shard in shards {
            #expect(shard.wait(seconds: 60) == 0, "\(shard.stderr)")
            #expect(!shard.stderr.contains("warning"), "\(shard.stderr)")
        }
        let merge = try HitProcess.run(["merge", "-o", "json"] + (0..<3).map { directory + "/shard-\($0).json" })
        try #require(merge.exitStatus == 0, "\(merge.stderr)")
        let merged = try Self.json(merge.stdout)
        let latency = try #require(merged["latency"] as? [String: Any])

        let perShard = try prometheus.query("sum by (hit_shard_index) (histogram_count(http_client_request_duration_seconds))")
        #expect(perShard.compactMap { $0.labels["hit_shard_index"] }.sorted() == ["0", "1", "2"])
        #expect(perShard.map(\.value).reduce(0, +) == 600)
        let total = try prometheus.query("histogram_count(sum(http_client_request_duration_seconds))")
        #expect(total.first?.value == 600)
        let p99 = try #require(try prometheus.query("histogram_quantile(0.99, sum(http_client_request_duration_seconds))").first?.value)
        let reported = Double(try #require((latency["percentilesUs"] as? [String: Int])?["99"])) / 1e6
        let tolerance = Self.tolerance(minUs: Double(try #require(latency["minUs"] as? Int)), maxUs: Double(try #require(latency["maxUs"] as? Int)))
        #expect(abs(p99 / reported - 1) <= tolerance, "p99: Prometheus \(p99) s, the merged report \(reported) s (tolerance \(tolerance))")
        // Corrected latency under the rate is there too, from every shard.
        let corrected = try prometheus.query("histogram_count(sum(hit_client_request_corrected_duration_seconds))")
        #expect(corrected.first?.value == 600)
    }

    /// Ctrl-C: the last push goes to both destinations before exit 130, and holds what the
    /// interrupted run's report holds.
    @Test(.enabled(if: OTLPReceiver.isInstalled, "needs scripts/setup opentelemetry-proto"))
    func theLastPushGoesAfterCtrlC() throws {
        let prometheus = try PrometheusServer()
        let receiver = try OTLPReceiver()
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess(["-rps", "200", "-z", "60s", "-q", "-o", "json", "--metrics-interval", "10s",
                                  "--prometheus-remote-write", prometheus.remoteWriteURL, "--otlp-endpoint", receiver.url, server.baseURL + "/"])
        Thread.sleep(forTimeInterval: 1.5)
        let (status, milliseconds) = hit.interrupt()
        #expect(status == 130, "\(hit.stderr)")
        #expect(milliseconds < 1500, "exited \(milliseconds) ms after Ctrl-C")
        let summary = try #require(try Self.json(hit.stdout)["summary"] as? [String: Any])
        let completed = try #require(summary["completed"] as? Int)
        #expect(completed > 100)
        // No push was due in 1.5 s: what both hold came with the last.
        #expect(try prometheus.query("hit_requests_completed_total").first?.value == Double(completed))
        #expect(try prometheus.query("sum(histogram_count(http_client_request_duration_seconds))").first?.value == Double(completed))
        let pushes = try receiver.pushes()
        #expect(pushes.count == 1)
        let request = pushes.last?["request"] as? [String: Any]
        let metrics = ((request?["resourceMetrics"] as? [[String: Any]])?.first?["scopeMetrics"] as? [[String: Any]])?.first?["metrics"] as? [[String: Any]]
        let sum = metrics?.first { $0["name"] as? String == "hit.requests.completed" }?["sum"] as? [String: Any]
        let value = (sum?["dataPoints"] as? [[String: Any]])?.first?["asInt"]
        #expect((value as? String).flatMap { Int($0) } == completed)
    }

    /// A Prometheus that is not there, or refuses: the run is whole, one warning.
    @Test func aMissingPrometheusCostsTheRunNothing() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-rps", "100", "-z", "1s", "-q", "-o", "json", "--metrics-interval", "200ms",
                                      "--prometheus-remote-write", "http://127.0.0.1:\(try closedPort())/api/v1/write", server.baseURL + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let summary = try #require(try Self.json(hit.stdout)["summary"] as? [String: Any])
        #expect(summary["completed"] as? Int == 100)
        let lines = hit.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("hit: warning: pushing metrics to http://127.0.0.1:"), "\(hit.stderr)")
    }
}
