@testable import Hit
import Testing

/// Each target's series carry attributes of their own, and never a URL's query.
@Suite struct ExportTargetTests {
    @Test func aRunsOnlyUnnamedTargetHasNoTargetAttribute() {
        let targets = ExportTarget.targets([Request(url: "http://[::1]:8080/a?token=s3cret")])
        #expect(targets.count == 1)
        #expect(targets[0].name == nil)
        #expect(targets[0].host == "::1" && targets[0].port == 8080)
    }

    @Test func severalTargetsAreToldApartWithoutTheirQueries() {
        let targets = ExportTarget.targets([
            Request(url: "http://127.0.0.1:8080/delay/1?token=s3cret"), Request(url: "http://127.0.0.1:8080/delay/1?token=other"),
            Request(url: "https://example.test/orders", method: "POST"), Request(url: "http://127.0.0.1:8080/", name: "home"),
            Request(url: "http://127.0.0.1:8080"),
        ])
        #expect(targets.map(\.name) == ["GET /delay/1", "GET /delay/1 #2", "POST /orders", "home", "GET /"])
        #expect(targets[2].port == 443)
        let keys = targets.indices.map { MetricsRecorder.SeriesKey(target: $0, status: 200, error: "", version: "1.1") }
        let attributeSets = keys.map { key in
            ExportTarget.attributes(of: key, targets: targets).map { "\($0.0)=\($0.1.text)" }.joined(separator: ",")
        }
        #expect(Set(attributeSets).count == targets.count, "two targets' series would be one")
        #expect(!attributeSets.joined().contains("s3cret"))
    }
}
