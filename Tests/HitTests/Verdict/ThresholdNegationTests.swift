@testable import Hit
import Testing

/// What a rule keeps when it passes: the condition a capacity search's heading names.
@Suite struct ThresholdNegationTests {
    @Test(arguments: [
        ("p99>150ms", "p99 ≤ 150ms"),
        ("p99 > 150ms", "p99 ≤ 150ms"),
        ("p99.9>=1s", "p99.9 < 1s"),
        ("rps<500", "rps ≥ 500"),
        ("mean<=2ms", "mean > 2ms"),
        ("status503==3", "status503 ≠ 3"),
        ("status404!=0", "status404 = 0"),
        ("errors>1%", "errors ≤ 1%"),
        ("errors>0", "errors = 0"),
        ("timeouts>0%", "timeouts = 0%"),
        ("corrected:p99>50ms", "corrected:p99 ≤ 50ms"),
    ])
    func aRuleKeepsItsConditionNegated(rule: String, kept: String) throws {
        #expect(try Threshold(parsing: rule).kept == kept)
    }

    @Test func severalRulesAreKeptTogether() throws {
        #expect(Threshold.kept(try Threshold.parseList("p99>150ms,errors>1%,rps<10")) == "p99 ≤ 150ms, errors ≤ 1% and rps ≥ 10")
        #expect(Threshold.kept(try Threshold.parseList("p99>150ms,errors>1%")) == "p99 ≤ 150ms and errors ≤ 1%")
    }
}
