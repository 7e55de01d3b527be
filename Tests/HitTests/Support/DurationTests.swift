@testable import Hit
import Testing

@Suite struct DurationTests {
    @Test(arguments: [("500ms", Duration.milliseconds(500)), ("10s", .seconds(10)), ("1m30s", .seconds(90)), ("1.5h", .seconds(5400)),
                      ("250us", .microseconds(250)), ("250µs", .microseconds(250)), ("100ns", .nanoseconds(100)), ("0", .zero)])
    func goStyleDurationsParse(text: String, duration: Duration) {
        #expect(Duration(parsing: text) == duration)
    }

    @Test(arguments: ["", "10", "soon", "5 s", "1x", "ms", "99999999999h", "1e400s", ".s"])
    func malformedDurationsAreRefused(text: String) {
        #expect(Duration(parsing: text) == nil)
    }

    @Test func unitsCanBeRestricted() {
        #expect(Duration(parsing: "2ms", units: ["ms", "s"]) == .milliseconds(2))
        #expect(Duration(parsing: "1h", units: ["ms", "s"]) == nil)
    }

    @Test func secondsOrADuration() {
        #expect(Duration(seconds: "1.5") == .milliseconds(1500))
        #expect(Duration(seconds: "250ms") == .milliseconds(250))
        #expect(Duration(seconds: "-1") == nil)
        #expect(Duration(seconds: "nan") == nil)
    }

    @Test func wholeUnitsRoundTowardZeroAndClamp() {
        let d = Duration.nanoseconds(1_999_999)
        #expect(d.milliseconds == 1)
        #expect(d.microsecondsValue == 1_999)
        #expect(d.nanoseconds == 1_999_999)
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
        #expect(Duration.seconds(Int64.min).microsecondsValue == .min)
        #expect(Duration.milliseconds(2500).seconds == 2.5)
    }
}
