import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// Templated runs against a server that records what it was sent.
@Suite struct TemplatedRunTests {
    static func options(_ requests: Int, concurrency: Int = 4, templating: Templating? = Templating(seed: 1)) -> Options {
        var options = Options(requests: requests, concurrency: concurrency)
        options.templating = templating
        return options
    }

    @Test func everySequenceNumberIsSentOnce() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/seq/{{seq}}"), options: Self.options(60)).run()
            #expect(summary.total.completed == 60)
            let seen = server.stats.recentRequests.map(\.uri)
            #expect(seen.sorted() == (0..<60).map { "/seq/\($0)" }.sorted())
        }
    }

    @Test func shardsTogetherSendEverySequenceNumberOnce() throws {
        try withTargetServer { server in
            for index in 0..<3 {
                var options = Self.options(60, concurrency: 3)
                options.shard = try Shard(index: index, count: 3)
                _ = try LoadTest(request: Request(url: server.baseURL + "/seq/{{seq}}"), options: options).run()
            }
            #expect(server.stats.recentRequests.map(\.uri).sorted() == (0..<60).map { "/seq/\($0)" }.sorted())
        }
    }

    @Test func headersAndBodiesAreRenderedPerRequest() throws {
        try withTargetServer { server in
            let request = Request(url: server.baseURL + "/", method: "POST", headers: ["X-Seq: {{seq}}", "Content-Type: application/json"],
                                  body: Body("{\"id\":\"{{uuid}}\",\"n\":{{rand:1:3}},\"seq\":{{seq}}}"))
            let summary = try LoadTest(request: request, options: Self.options(50)).run()
            #expect(summary.total.succeeded == 50)
            var ids: Set<String> = []
            for seen in server.stats.recentRequests {
                let body = try #require(try JSONSerialization.jsonObject(with: Data(seen.body)) as? [String: Any], "\(seen.body)")
                let id = try #require(body["id"] as? String)
                #expect(UUID(uuidString: id) != nil)
                ids.insert(id)
                #expect((1...3).contains(body["n"] as? Int ?? 0))
                #expect(seen.header("X-Seq") == "\(body["seq"] as? Int ?? -1)", "the header and the body render the same request")
                #expect(seen.header("Content-Type") == "application/json")
            }
            #expect(ids.count == 50)
        }
    }

    @Test func feedRowsArriveInTheirOrder() throws {
        let feed = try Feed(csv: Array("user,token\nann,a b\nbob,c/d\ncy,e\n".utf8))
        try withTargetServer { server in
            let request = Request(url: server.baseURL + "/u/{{user}}/{{seq}}?t={{token:url}}")
            _ = try LoadTest(request: request, options: Self.options(30, templating: Templating(seed: 1, feed: feed))).run()
            let seen = server.stats.recentRequests.map(\.uri)
            #expect(seen.count == 30)
            for index in 0..<30 {
                let row = feed.row(index % 3)
                let token = row["token"]!.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "/", with: "%2F")
                #expect(seen.contains("/u/\(row["user"]!)/\(index)?t=\(token)"), "request \(index) took row \(index % 3)")
            }
        }
    }

    @Test func aFeedReadOnceEndsTheRunWhenItsRowsAreUsedUp() throws {
        let feed = try Feed(csv: Array("id\n1\n2\n3\n4\n5\n".utf8))
        try withTargetServer { server in
            let options = Self.options(100, templating: Templating(seed: 1, feed: feed, feedOrder: .once))
            let summary = try LoadTest(request: Request(url: server.baseURL + "/i/{{id}}"), options: options).run()
            #expect(summary.total.completed == 5)
            #expect(server.stats.recentRequests.map(\.uri).sorted() == ["/i/1", "/i/2", "/i/3", "/i/4", "/i/5"])
            // The report says the feed ended the run, and keeps saying it when read back.
            #expect(summary.feedUsedUp == 5)
            #expect(TextReport(summary).description.contains("ended by the feed: each of its 5 rows was sent once"))
            let test = LoadTest(request: Request(url: server.baseURL + "/i/{{id}}"), options: options)
            #expect(try Summary(report: JSONReport(summary, test: test)).feedUsedUp == 5)
            // -n below the rows: -n ended it, not the feed.
            let fewer = try LoadTest(request: Request(url: server.baseURL + "/i/{{id}}"),
                                     options: Self.options(3, templating: Templating(seed: 1, feed: feed, feedOrder: .once))).run()
            #expect(fewer.total.completed == 3)
            #expect(fewer.feedUsedUp == nil)
        }
    }

    /// One worker alternating between a templated URL (set as text for each request) and a plain
    /// one (parsed once): each request goes where its own target says.
    @Test func aWorkerSwitchingBetweenTemplatedAndPlainURLsSendsEachToItsOwn() throws {
        try withTargetServer { server in
            let targets = [Request(url: server.baseURL + "/seq/{{seq}}", weight: 1), Request(url: server.baseURL + "/plain?x=1", weight: 1),
                           Request(url: server.baseURL + "/other", weight: 1)]
            _ = try LoadTest(targets: targets, options: Self.options(30, concurrency: 1)).run()
            let seen = server.stats.recentRequests.map(\.uri)
            #expect(seen.count == 30)
            #expect(seen.filter { $0 == "/plain?x=1" }.count == 10 && seen.filter { $0 == "/other" }.count == 10, "\(seen)")
            let numbers = seen.filter { $0.hasPrefix("/seq/") }.compactMap { Int($0.dropFirst(5)) }
            #expect(numbers.count == 10 && Set(numbers).count == 10 && numbers.allSatisfy { (0..<30).contains($0) }, "\(seen)")
        }
    }

    @Test func withoutTemplatingBracesAreSentAsWritten() throws {
        try withTargetServer { server in
            _ = try LoadTest(request: Request(url: server.baseURL + "/{{seq}}"), options: Self.options(2, concurrency: 1, templating: nil)).run()
            #expect(server.stats.recentRequests.map(\.uri) == ["/%7B%7Bseq%7D%7D", "/%7B%7Bseq%7D%7D"]
                    || server.stats.recentRequests.map(\.uri) == ["/{{seq}}", "/{{seq}}"])
        }
    }
}
