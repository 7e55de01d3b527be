import Dispatch
@testable import Hit
import Testing

/// Reading and writing wall-clock instants (`--start-at`, the report's absolute timestamps).
@Suite struct WallClockTests {
    /// 2026-11-22T13:00:00Z.
    static let onePM: Int64 = 1_795_352_400 * 1_000_000_000

    @Test(arguments: [
        ("2026-11-22T13:00:00Z", onePM),
        ("2026-11-22t13:00:00z", onePM),
        ("2026-11-22 13:00:00Z", onePM),
        ("2026-11-22T14:00:00+01:00", onePM),
        ("2026-11-22T08:30:00-04:30", onePM),
        ("2026-11-22T13:00:00.5Z", onePM + 500_000_000),
        ("2026-11-22T13:00:00.000000001Z", onePM + 1),
        ("2026-11-22T13:00:00.1234567899Z", onePM + 123_456_789),
        ("2024-02-29T00:00:00Z", 1_709_164_800 * 1_000_000_000),
        ("1970-01-01T00:00:00Z", 0),
        ("@1795352400", onePM),
        ("@1795352400.25", onePM + 250_000_000),
        ("@0", 0),
        ("@1795352400.000000001", onePM + 1),
        ("@1795352400.1234567899", onePM + 123_456_789),
    ] as [(String, Int64)])
    func readsRFC3339AndUnixSeconds(text: String, nanoseconds: Int64) {
        #expect(WallClock.parseInstant(text) == nanoseconds)
    }

    @Test(arguments: [
        "", "now", "tomorrow", "@", "@-5", "@1e9", "@ 5", "@0x10", "@99999999999", "@1.2.3", "@5.", "@.5", "@+5",
        "2026-11-22T13:00:00", "2026-11-22T13:00:00.Z", "2026-11-22T13:00Z", "2026-11-22",
        "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T13:60:00Z",
        "2026-11-22T13:00:00+1:00", "2026-11-22T13:00:00+01:00x", "2026-11-22T13:00:00+25:00",
        "2026-11-22X13:00:00Z", "20261122T130000Z", "２０２６-11-22T13:00:00Z",
        "0001-01-01T00:00:00Z", "1600-01-01T00:00:00Z", "2300-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
    ])
    func refusesEverythingElse(text: String) {
        #expect(WallClock.parseInstant(text) == nil, "'\(text)'")
    }

    @Test(arguments: [0, 1, 999_999, 1_000_000, onePM, onePM + 123_456_789, -1_500_000_000])
    func rfc3339IsReadBackToTheMillisecond(nanoseconds: Int64) {
        let text = WallClock.rfc3339(unixNanoseconds: nanoseconds)
        let millisecond: Int64 = 1_000_000
        let floored = nanoseconds >= 0 ? nanoseconds / millisecond * millisecond
            : (nanoseconds - millisecond + 1) / millisecond * millisecond
        #expect(WallClock.parseInstant(text) == floored, "\(text)")
    }

    @Test func theWallClockOfAMomentAheadIsAhead() {
        let now = WallClock.unixNanoseconds()
        let soon = WallClock.unixNanoseconds(at: .now() + .seconds(5))
        let earlier = WallClock.unixNanoseconds(at: .now() - .milliseconds(10))
        #expect(abs(soon - now - 5_000_000_000) < 500_000_000)
        #expect(earlier < now)
    }
}
