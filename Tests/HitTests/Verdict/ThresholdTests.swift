import Hit
import HitTarget
import HitTestSupport
import Testing

@Suite struct ThresholdTests {
    @Test(arguments: [
        ("p99>250ms", Threshold.Metric.percentile(99), Threshold.Comparison.greater, Threshold.Value.duration(.milliseconds(250))),
        ("p50>=20ms", .percentile(50), .greaterOrEqual, .duration(.milliseconds(20))),
        ("p99.9>1s", .percentile(99.9), .greater, .duration(.seconds(1))),
        ("mean>100ms", .mean, .greater, .duration(.milliseconds(100))),
        ("max>2s", .max, .greater, .duration(.seconds(2))),
        ("max>1m30s", .max, .greater, .duration(.seconds(90))),
        ("p99>1h", .percentile(99), .greater, .duration(.seconds(3600))),
        ("min<=500us", .min, .lessOrEqual, .duration(.microseconds(500))),
        ("min<500µs", .min, .less, .duration(.microseconds(500))),
        ("p90 > 1.5 s", .percentile(90), .greater, .duration(.milliseconds(1500))),
        ("errors>1%", .errors, .greater, .percent(1)),
        ("errors>0", .errors, .greater, .count(0)),
        ("errors==0", .errors, .equal, .count(0)),
        ("timeouts!=0", .timeouts, .notEqual, .count(0)),
        ("timeouts>0.5%", .timeouts, .greater, .percent(0.5)),
        ("rps<500", .rps, .less, .count(500)),
        ("status5xx>0", .statusClass(5), .greater, .count(0)),
        ("status404>10", .status(404), .greater, .count(10)),
        ("status2xx<99.5%", .statusClass(2), .less, .percent(99.5)),
    ])
    func everyRuleFormParses(text: String, metric: Threshold.Metric, comparison: Threshold.Comparison, value: Threshold.Value) throws {
        let rule = try Threshold(parsing: text)
        #expect(rule.metric == metric)
        #expect(rule.comparison == comparison)
        #expect(rule.value == value)
    }

    @Test(arguments: [
        ("p99>>250ms", ">250ms"), ("p99>250", "250"), ("p99=3ms", "="), ("foo>1", "foo"), ("errors>1ms", "ms"),
        ("rps>5%", "5%"), ("rps>5ms", "ms"), ("status600>1", "status600"), ("status6xx>1", "status6xx"), (">5", ">5"),
        ("p99>", "p99>"), ("errors>150%", "150%"), ("p0>1ms", "p0"), ("p101>1ms", "p101"), ("p99<fast", "fast"),
        ("errors", "errors"), ("p99>1d", "1d"), ("p99>5x", "5x"),
    ])
    func malformedRulesAreRefusedAtTheBadPart(text: String, part: String) {
        #expect(throws: Threshold.ParseError.self) { try Threshold(parsing: text) }
        do {
            _ = try Threshold(parsing: text)
        } catch {
            #expect(error.part == part, "\(error)")
            #expect(error.description.hasPrefix("'\(text)': '\(part)'"))
        }
    }

    @Test func aListSplitsOnCommas() throws {
        #expect(try Threshold.parseList("p99>250ms,errors>1%").map(\.text) == ["p99>250ms", "errors>1%"])
        #expect(throws: Threshold.ParseError.self) { try Threshold.parseList("p99>250ms,,errors>0") }
    }

    @Test func rulesAreMeasuredAgainstARun() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/delay/50"),
                                       options: Options(requests: 8, concurrency: 4)).run()
            func failed(_ rule: String) throws -> Bool { try Threshold(parsing: rule).evaluate(summary).failed }
            #expect(try failed("p99>20ms"))
            #expect(try !failed("p99>500ms"))
            #expect(try failed("min>=50ms"))
            #expect(try !failed("errors>0"))
            #expect(try failed("status200==8"))
            #expect(try failed("status2xx>=100%"))
            #expect(try !failed("rps>1000"))
        }
    }

    @Test func verdicts() throws {
        try withTargetServer { server in
            let failing = try LoadTest(request: Request(url: server.baseURL + "/status/503"), options: Options(requests: 4)).run()
            #expect(Verdict(failing, thresholds: []).outcome == .failed)
            #expect(Verdict(failing, thresholds: [try Threshold(parsing: "status5xx>0")]).outcome == .failed)
            #expect(Verdict(failing, thresholds: [try Threshold(parsing: "status5xx>10")]).outcome == .passed, "rules alone decide")
            let clean = try LoadTest(request: Request(url: server.baseURL + "/"), options: Options(requests: 4)).run()
            #expect(Verdict(clean, thresholds: []).outcome == .passed)
        }
        let unreachable = try LoadTest(request: Request(url: "http://127.0.0.1:\(try closedPort())/"), options: Options(requests: 3)).run()
        #expect(Verdict(unreachable, thresholds: [try Threshold(parsing: "p99>1s")]).outcome == .unreachable)
    }
}
