import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// Response checks: the status list and body pattern read without a network, then runs against a
/// server whose answers are known.
@Suite struct ResponseChecksTests {
    @Test func statusListsTakeCodesAndClasses() throws {
        let statuses = try ExpectedStatuses(parsing: "200, 201,3xx,404")
        #expect(statuses.text == "200,201,3xx,404")
        #expect([200, 201, 301, 399, 404].allSatisfy(statuses.contains))
        #expect(![202, 204, 400, 500, 0].contains(where: statuses.contains))
        for (bad, problem) in [("2x", ResponseChecks.Problem.badStatus("2x")), ("600", .badStatus("600")), ("200,", .badStatus("")),
                               ("6xx", .badStatus("6xx")), ("", .emptyStatuses), ("abc", .badStatus("abc"))] {
            #expect(throws: problem) { try ExpectedStatuses(parsing: bad) }
        }
    }

    @Test func bodyPatternsAreExtendedRegularExpressionsOverBytes() throws {
        let pattern = try BodyPattern("\"status\": *\"(ok|up)\"")
        func matches(_ text: [UInt8]) -> Bool { text.withUnsafeBytes { pattern.matches($0) } }
        #expect(matches(Array("{\"status\": \"ok\"}".utf8)))
        #expect(matches(Array("{\"status\":\"up\"}".utf8)))
        #expect(!matches(Array("{\"status\": \"down\"}".utf8)))
        // A NUL before the match does not end the body.
        #expect(matches([0] + Array("\"status\": \"ok\"".utf8)))
        #expect(!matches([]))
        #expect(try BodyPattern("^$").matches(UnsafeRawBufferPointer(start: nil, count: 0)))
        #expect(throws: ResponseChecks.Problem.self) { try BodyPattern("(") }
        #expect(throws: ResponseChecks.Problem.self) { try ResponseChecks(bodyPattern: "a\u{0}b") }
    }

    static func run(_ urls: [String], checks: ResponseChecks, requests: Int = 20) throws -> Summary {
        var options = Options(requests: requests, concurrency: 4)
        options.checks = checks
        return try LoadTest(targets: urls.map { Request(url: $0) }, options: options).run()
    }

    @Test func aStatusOutsideTheListFailsAsACheckAndOneInsideSucceeds() throws {
        try withTargetServer { server in
            let summary = try Self.run([server.baseURL + "/status/204", server.baseURL + "/status/404"],
                                       checks: try ResponseChecks(statuses: "404,2xx"))
            #expect(summary.succeeded == 20, "an expected 404 succeeds: \(summary.errorCounts)")
            let failing = try Self.run([server.baseURL + "/status/204", server.baseURL + "/status/503"],
                                       checks: try ResponseChecks(statuses: "204"))
            #expect(failing.succeeded == 10)
            #expect(failing.failed == 0)
            #expect(failing.failedChecks == 10)
            #expect(failing.errorCounts[.check]?.example == "status 503, expected 204")
            // Every response's status is counted, and failed checks are on the timeline.
            #expect(failing.statusCounts == [204: 10, 503: 10])
            #expect(failing.timeline.intervals.map { $0.errorKinds["check"] ?? 0 }.reduce(0, +) == 10)
            // Rules judge them as errors; without a rule they fail the run.
            #expect(Verdict(failing, thresholds: []).outcome == .failed)
            #expect(Verdict(failing, thresholds: try Threshold.parseList("errors>60%")).outcome == .passed)
            #expect(Verdict(failing, thresholds: try Threshold.parseList("errors>40%")).outcome == .failed)
        }
    }

    @Test func theBodyIsMatchedAsDecoded() throws {
        try withTargetServer { server in
            // The server deflates "/": the check reads the decoded text.
            let passing = try Self.run([server.baseURL + "/"], checks: try ResponseChecks(bodyPattern: "^Hello, [a-z]+"))
            #expect(passing.succeeded == 20, "\(passing.errorCounts)")
            let failing = try Self.run([server.baseURL + "/", server.baseURL + "/bytes/100"], checks: try ResponseChecks(bodyPattern: "Hello"))
            #expect(failing.succeeded == 10)
            #expect(failing.failedChecks == 10)
            #expect(failing.errorCounts[.check]?.example == "the body does not match the expected pattern")
        }
    }

    @Test func onlyTheFirst64KiBAreRead() throws {
        try withTargetServer { server in
            // /echo answers the request's body inside a JSON object (`{"body":"` first): a mark past
            // 64 KiB is never read, one before it is.
            let limit = ResponseChecks.bodyLimit
            var options = Options(requests: 2, concurrency: 1)
            options.checks = try ResponseChecks(bodyPattern: "MARK")
            let late = Request(url: server.baseURL + "/echo", method: "POST", body: Body(Array(repeating: UInt8(ascii: "a"), count: limit) + Array("MARK".utf8)))
            let missed = try LoadTest(targets: [late], options: options).run()
            #expect(missed.failedChecks == 2)
            #expect(missed.bytes > 2 * (limit + 4), "the whole body is still counted")
            let early = Request(url: server.baseURL + "/echo", method: "POST", body: Body(Array(repeating: UInt8(ascii: "a"), count: limit - 100) + Array("MARK".utf8)))
            #expect(try LoadTest(targets: [early], options: options).run().succeeded == 2)
        }
    }
}
