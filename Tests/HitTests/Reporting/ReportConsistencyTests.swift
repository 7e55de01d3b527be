import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// The report agrees with itself, and its JSON has one shape, every key of which the README explains.
@Suite struct ReportConsistencyTests {
    @Test func histogramRowsNeverRepeatALabel() {
        var summary = Summary(requested: 1000)
        for i in 0..<1000 { summary.record(RequestResult(status: 200, bytes: 0, latency: .microseconds(1_250_000 + Int64(i % 900)))) }
        let bars = TextReport(summary, width: 80).description
            .split(separator: "\n").drop { !$0.hasPrefix("Latency histogram") }.dropFirst().prefix { $0.contains("[") }
        let labels = bars.map { $0.split(separator: "[")[0].trimmingCharacters(in: .whitespaces) }
        #expect(!labels.isEmpty)
        #expect(Set(labels).count == labels.count, "\(labels)")
        let counted = bars.compactMap { Int($0.split(separator: "[")[1].split(separator: "]")[0].trimmingCharacters(in: .whitespaces)) }
        #expect(counted.reduce(0, +) == 1000)
    }

    @Test func noPercentileIsAboveTheReportedMax() {
        var summary = Summary(requested: 50)
        for i in 0..<50 { summary.record(RequestResult(status: 200, bytes: 0, latency: .microseconds(1_234_000 + Int64(i * 300)))) }
        let text = TextReport(summary).description
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("  p") || $0.hasPrefix("  max:") }
        let maxText = rows.first { $0.hasPrefix("  max:") }.map { $0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces) }
        #expect(maxText == Formatting.duration(summary.latency.max))
        for p in Summary.reportedPercentiles {
            #expect(summary.latency.percentile(p) <= summary.latency.max)
        }
        let json = JSONReport(summary, test: LoadTest(request: Request(url: "http://127.0.0.1:1/"), options: Options(requests: 50)))
        let latency = json.latency!
        #expect(latency.percentilesUs.values.compactMap { $0 }.allSatisfy { $0 <= latency.maxUs && $0 >= latency.minUs })
    }

    @Test func nothingCompletedIsNotShownAsMeasured() {
        var summary = Summary(requested: nil)
        summary.deadlineReached = true
        let text = TextReport(summary).description
        #expect(text.contains("Success:    - (nothing completed: nothing to measure)"))
        #expect(!text.contains("0%"))
        #expect(summary.successPercent == nil)
    }

    @Test func underARateTheHeadlineRateAgreesWithTheSendRate() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"), options: Options(requests: 5, rate: 10)).run()
            let achieved = try #require(summary.achievedSendRate)
            #expect(abs(summary.requestsPerSecond - achieved) / achieved < 0.1,
                    "requests/s \(summary.requestsPerSecond), achieved \(achieved)")
            #expect(abs(achieved - 10) < 1)
        }
    }

    /// Every key path of a JSON document, as `a.b.c` (array elements and the keys of maps keyed by
    /// data, such as status codes and percentiles, are left out).
    static func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        var paths: Set<String> = []
        if let object = value as? [String: Any] {
            for (key, child) in object {
                paths.insert(key)
                if ["statusCodes", "httpVersions", "percentilesUs", "phases"].contains(key) { continue }
                paths.formUnion(keyPaths(child))
            }
        } else if let array = value as? [Any] {
            for element in array { paths.formUnion(keyPaths(element)) }
        }
        return paths
    }

    static func document(_ summary: Summary, _ test: LoadTest, _ verdict: Verdict?) throws -> [String: Any] {
        let data = Data(JSONReport(summary, test: test, verdict: verdict).encoded().utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theJSONHasOneShapeWithNullsForWhatIsMissing() throws {
        let test = LoadTest(request: Request(url: "http://127.0.0.1:1/"), options: Options(requests: 3, rate: 10))
        var failing = Summary(requested: 3, rate: 10)
        failing.record(RequestResult(status: 0, bytes: 0, latency: .zero, error: TransferError(kind: .reset, message: "x")))
        let empty = try Self.document(failing, test, nil)
        var full = VerdictTests.heldBack()
        full.record(RequestResult(status: 503, bytes: 3, latency: .milliseconds(2), lateness: .milliseconds(2)))
        let rich = try Self.document(full, test, Verdict(full, thresholds: try Threshold.parseList("p99>1s,errors>0")))
        #expect(Set(empty.keys) == Set(rich.keys), "a run without responses has the same keys, with nulls")
        for object in ["summary", "pacing", "configuration"] {
            let a = try #require(empty[object] as? [String: Any]), b = try #require(rich[object] as? [String: Any])
            #expect(Set(a.keys) == Set(b.keys), "\(object) has one shape")
        }
        for key in ["latency", "correctedLatency", "verdict", "verdictReason"] {
            #expect(empty[key] is NSNull, "\(key) is null, not missing")
        }
        let summary = try #require(empty["summary"] as? [String: Any])
        #expect(summary["successPercent"] != nil)
        let pacing = try #require(empty["pacing"] as? [String: Any])
        #expect(pacing["latenessP50Us"] is NSNull)
        #expect(pacing["achievedRate"] is NSNull)
    }

    @Test func theReadmeDocumentsEveryJSONKey() throws {
        let readme = try String(contentsOfFile: #filePath.components(separatedBy: "/Tests/")[0] + "/README.md", encoding: .utf8)
        let section = readme.components(separatedBy: "**JSON**")[1].components(separatedBy: "### ")[0]
        let test = LoadTest(request: Request(url: "http://127.0.0.1:1/"), options: Options(requests: 3, rate: 10))
        var full = VerdictTests.heldBack()
        full.record(RequestResult(status: 0, bytes: 0, latency: .zero, error: TransferError(kind: .reset, message: "x")))
        var phases = RequestResult.Phases()
        phases.dns = .microseconds(3)
        full.record(RequestResult(status: 200, bytes: 0, latency: .milliseconds(1), phases: phases, lateness: .zero))
        // A shard's report, started at an instant, has the shard's keys filled in too.
        full.shards = ShardCoverage(count: 3, covered: [1], configurationHash: "fnv1a64:0123456789abcdef")
        full.startAt = 1_795_352_400_000_000_000
        full.startedLate = .microseconds(250)
        let document = try Self.document(full, test, Verdict(full, thresholds: try Threshold.parseList("p99>1s")))
        for key in Self.keyPaths(document) {
            #expect(section.contains("`\(key)`"), "the README's JSON section explains `\(key)`")
        }
    }
}
