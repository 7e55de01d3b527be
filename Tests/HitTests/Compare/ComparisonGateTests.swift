@testable import Hit
import Testing

@Suite struct ComparisonGateTests {
    @Test(arguments: [("p99:+5%", ComparisonGate.Metric.percentile(99), 0.05), ("p50:+3%", .percentile(50), 0.03),
                      ("p99.9:+20%", .percentile(99.9), 0.2), ("errors:+0.1pp", .errors, 0.001), ("rps:-5%", .rps, 0.05),
                      ("P90:+0%", .percentile(90), 0)])
    func gatesAreRead(text: String, metric: ComparisonGate.Metric, margin: Double) throws {
        let gate = try ComparisonGate(parsing: text)
        #expect(gate.metric == metric)
        #expect(abs(gate.margin - margin) < 1e-12)
    }

    @Test func gatesAreWrittenAsRead() throws {
        for text in ["p99:+5%", "p50:+3%", "p99.9:+20%", "errors:+0.1pp", "rps:-5%"] {
            #expect(try ComparisonGate(parsing: text).description == text)
        }
        #expect(ComparisonGate.defaults.map(\.description) == ["p50:+5%", "p99:+10%", "errors:+1pp"])
    }

    @Test(arguments: [
        ("p99", "is not METRIC:MARGIN"), ("latency:+5%", "'latency' in 'latency:+5%' is not a metric"),
        ("p100:+5%", "is not a metric"), ("p0:+5%", "is not a metric"), ("p99:5%", "the margin of p99 is written +X%"),
        ("p99:-5%", "the margin of p99 is written +X%"), ("rps:+5%", "the margin of rps is written -X%"),
        ("errors:+1%", "the margin of errors is written +Xpp"), ("p99:+x%", "is written +X%"), ("p99:+0x10%", "is written +X%"),
        ("errors:+101pp", "more than a comparison can mean"), ("p99:+nan%", "is written +X%"),
    ])
    func badGatesAreRefusedWithWhatIsWrong(text: String, message: String) {
        do {
            _ = try ComparisonGate(parsing: text)
            Issue.record("'\(text)' was taken")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
