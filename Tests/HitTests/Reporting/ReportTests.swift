import Foundation
import Hit
import HitTarget
import HitTestSupport
import Testing

/// The report's figures, checked against runs with a known outcome.
@Suite struct ReportTests {
    @Test func aFiftyMillisecondServerGivesAFiftyMillisecondMedian() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/delay/50"),
                                       options: Options(requests: 40, concurrency: 4)).run()
            let p50 = summary.latency.percentile(50)
            // At least the server's delay, and well under two of them: a median that counted a
            // request twice, or missed the delay, would fall outside. (Not tighter: under a
            // sanitizer on a loaded machine the loop's own time adds tens of milliseconds.)
            #expect(p50 >= .milliseconds(50) && p50 < .milliseconds(100), "p50 \(p50)")
            #expect(summary.latency.count == 40)
            #expect(summary.latency.percentile(99.99) >= p50)
            let firstByte = try #require(summary.phases[.firstByte])
            #expect(firstByte.percentile(50) >= .milliseconds(50), "the wait is the server's: first byte")
            #expect(summary.phases[.connect]?.count == 4, "one connection per worker")
        }
    }

    @Test func aKnownMixOfStatusesIsCountedExactly() throws {
        try withTargetServer { server in
            let targets = ["/status/200", "/status/404", "/status/503", "/status/204"].map { Request(url: server.baseURL + $0) }
            let summary = try LoadTest(targets: targets, options: Options(requests: 40, concurrency: 4)).run()
            #expect(summary.statusCounts == [200: 10, 404: 10, 503: 10, 204: 10])
            #expect(summary.succeeded == 20)
            #expect(summary.failed == 20)
            #expect(summary.perTarget.map(\.completed) == [10, 10, 10, 10])
        }
    }

    @Test func knownFaultsGiveTheRightErrorKinds() throws {
        let port = try closedPort()
        try withTargetServer { server in
            var client = ClientOptions()
            client.timeout = .milliseconds(200)
            let targets = [Request(url: "http://127.0.0.1:\(port)/"), Request(url: server.baseURL + "/hang"),
                           Request(url: server.baseURL + "/status/500")]
            let summary = try LoadTest(targets: targets, options: Options(requests: 9, concurrency: 3), client: client).run()
            #expect(summary.errorCounts[.connect]?.count == 3)
            #expect(summary.errorCounts[.timeout]?.count == 3)
            #expect(summary.timedOut == 3)
            #expect(summary.errored == 6)
            #expect(summary.failed == 3)
            #expect(summary.errorCounts[.timeout]?.example.contains("timed out") == true)
        }
    }

    @Test func theJSONHoldsTheDocumentedFieldsAndAMergeableHistogram() throws {
        try withTargetServer { server in
            let test = LoadTest(request: Request(url: server.baseURL + "/delay/3"), options: Options(requests: 200, concurrency: 8))
            let summary = try test.run()
            let encoded = JSONReport(summary, test: test).encoded()
            let document = try #require(try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any])
            #expect(document["version"] as? Int == 3)
            #expect(document["interrupted"] as? Bool == false)
            // The document decodes (as `hit report` reads it) to one that encodes the same.
            #expect(try JSONReport.decode(Array(encoded.utf8)).encoded() == encoded)
            for key in ["configuration", "summary", "latency", "phases", "statusCodes", "httpVersions", "transportErrors", "targets",
                        "timeline", "startTime", "startUnixNs"] {
                #expect(document[key] != nil, "\(key) is in the JSON")
            }
            let counts = try #require(document["summary"] as? [String: Any])
            #expect(counts["completed"] as? Int == 200)
            #expect(counts["succeeded"] as? Int == 200)
            let latency = try #require(document["latency"] as? [String: Any])
            let percentiles = try #require(latency["percentilesUs"] as? [String: Int])
            let histogram = try #require(latency["histogram"] as? [String: Any])
            let pairs = try #require(histogram["counts"] as? [[UInt64]])
            let rebuilt = LatencyHistogram(sparseCounts: pairs, minimum: (latency["minUs"] as? UInt64),
                                           maximum: (latency["maxUs"] as? UInt64))
            #expect(rebuilt == summary.latency)
            #expect(rebuilt.count == 200)
            // The V2 encoding holds the same buckets.
            let blob = try #require(histogram["encoded"] as? String)
            #expect(LatencyHistogram(try HdrHistogramV2(base64: blob)).sparseCounts == summary.latency.sparseCounts)
            for p in Summary.reportedPercentiles {
                let key = p == p.rounded() ? String(Int(p)) : String(p)
                #expect(Int64(percentiles[key] ?? -1) == rebuilt.percentile(p).components.seconds * 1_000_000
                    + rebuilt.percentile(p).components.attoseconds / 1_000_000_000_000, "p\(key)")
            }
            // Merging two runs' histograms is exact.
            var merged = rebuilt
            merged.merge(LatencyHistogram(sparseCounts: pairs))
            #expect(merged.count == 400)
            #expect(merged.percentile(50) == rebuilt.percentile(50))
        }
    }

    @Test func unitsScaleSoEveryFigureReadsWell() {
        #expect(Formatting.duration(.microseconds(212)) == "212µs")
        #expect(Formatting.duration(.microseconds(4_560)) == "4.56ms")
        #expect(Formatting.duration(.milliseconds(123)) == "123.0ms")
        #expect(Formatting.duration(.seconds(10)) == "10.00s")
        #expect(Formatting.duration(.seconds(95)) == "1m35s")
        #expect(Formatting.bytes(512) == "512 B")
        #expect(Formatting.bytes(2048) == "2.0 KiB")
    }

    @Test(arguments: [(200, 260), (10_000_000, 10_400_000), (100, 2_000_000)])
    func theHistogramShowsTheShapeAtAnyScale(low: Int64, high: Int64) {
        var latency = LatencyHistogram()
        for i in 0..<1000 { latency.record(.microseconds(low + (high - low) * Int64(i) / 999)) }
        var summary = Summary(requested: 1000)
        summary.latency = latency
        let bars = TextReport(summary, width: 60).description
            .split(separator: "\n").drop { !$0.hasPrefix("Latency histogram") }.dropFirst().prefix { $0.contains("[") }
        #expect(bars.count >= 5, "\(bars)")
        let counted = bars.compactMap { line in Int(line.split(separator: "[")[1].split(separator: "]")[0].trimmingCharacters(in: .whitespaces)) }
        #expect(counted.reduce(0, +) == 1000)
        #expect(bars.allSatisfy { $0.count <= 60 })
        #expect(bars.filter { $0.contains("■") }.count >= 3, "several buckets are filled: the shape shows")
    }

    /// Responses in an older HTTP version than the one asked for are libcurl's fallbacks: the text
    /// says so, and the JSON counts them, for HTTP/3 as for HTTP/2.
    @Test func fallbacksFromTheVersionAskedForAreCountedAndExplained() throws {
        var summary = Summary(requested: 30)
        for (index, version) in [(0..<20, HTTPVersion.http2), (20..<25, .http1_1), (25..<30, .http3)].flatMap({ range, version in range.map { ($0, version) } }) {
            var result = RequestResult(status: 200, bytes: 11, latency: .milliseconds(2), httpVersion: version, index: index)
            result.connectionsOpened = index == 0 ? 1 : 0
            summary.record(result)
        }
        let asked3 = TextReport(summary, httpVersion: .http3).description
        #expect(asked3.contains("HTTP/3 was asked for, but 25 responses came in HTTP/1.1 and HTTP/2"), "\(asked3)")
        let asked2 = TextReport(summary, httpVersion: .http2).description
        #expect(asked2.contains("HTTP/2 was asked for, but 5 responses came in HTTP/1.x"))
        #expect(!TextReport(summary).description.contains("was asked for"))
        for (version, fallbacks, http1) in [(ClientOptions.HTTPVersion.http3Only, 25, 5), (.http2, 5, 5)] {
            var client = ClientOptions()
            client.httpVersion = version
            let test = LoadTest(request: Request(url: "https://127.0.0.1:1/"), options: Options(requests: 30), client: client)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport(summary, test: test).encoded().utf8)) as? [String: Any])
            let connections = try #require(json["connections"] as? [String: Any])
            #expect(connections["fallbacks"] as? Int == fallbacks)
            #expect(connections["http1Fallbacks"] as? Int == http1)
            #expect((json["configuration"] as? [String: Any])?["http"] as? String == version.rawValue)
        }
        let plain = LoadTest(request: Request(url: "https://127.0.0.1:1/"), options: Options(requests: 30))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport(summary, test: plain).encoded().utf8)) as? [String: Any])
        #expect((json["connections"] as? [String: Any])?["fallbacks"] is NSNull)
    }

    @Test func secretsAreRedactedInTheJSON() throws {
        try withTargetServer { server in
            var client = ClientOptions()
            client.proxy = "http://proxyuser:proxysecret@127.0.0.1:1"
            let test = LoadTest(
                request: Request(url: "http://user:urlsecret@127.0.0.1:1/", headers: ["Authorization: Bearer tokensecret", "Proxy-Authorization: Basic proxytoken"],
                                 credentials: .init(user: "alice", password: "passsecret")),
                options: Options(requests: 1), client: client)
            let json = JSONReport(Summary(requested: 1), test: test).encoded()
            for secret in ["urlsecret", "tokensecret", "proxytoken", "passsecret", "proxysecret"] {
                #expect(!json.contains(secret), "\(secret) leaked")
            }
            #expect(json.contains("alice"))
            _ = server
        }
    }

    @Test func aLongTargetsListShowsItsFirstRowsAndSaysHowManyMore() {
        var summary = Summary(requested: 25, targets: 25)
        for index in 0..<25 {
            var result = RequestResult(status: 200, bytes: 1, latency: .milliseconds(1))
            result.target = index
            summary.record(result)
        }
        let names = (0..<25).map { "GET http://127.0.0.1:1/\($0)" }
        let text = TextReport(summary, targets: names).description
        #expect(text.contains("  GET http://127.0.0.1:1/19\n" + String(repeating: " ", count: 24) + "         1       0   1.00ms"))
        #expect(!text.contains("GET http://127.0.0.1:1/20 "))
        #expect(text.contains("... and 5 more targets (the JSON report lists every one)"))
        let two = TextReport(Summary(requested: 2, targets: 2), targets: Array(names.prefix(2))).description
        #expect(!two.contains("more target"))
    }
}
