import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The wall clock (UTC), for the absolute timestamps that let runs on several machines be aligned.
/// Every duration hit measures is on the monotonic clock; this only dates them.
package enum WallClock {
    /// Nanoseconds since 1970 (CLOCK_REALTIME) now.
    package static func unixNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// The wall-clock time of `instant`, a moment on the monotonic clock not long ago or soon.
    package static func unixNanoseconds(at instant: DispatchTime) -> Int64 {
        let wall = unixNanoseconds()
        let now = DispatchTime.now().uptimeNanoseconds, then = instant.uptimeNanoseconds
        return now >= then ? wall - Int64(clamping: now - then) : wall + Int64(clamping: then - now)
    }

    /// Seconds since 1970 with milliseconds, cut (not rounded) as `rfc3339` cuts them: `1795341402.486`.
    package static func seconds(unixNanoseconds nanoseconds: Int64) -> String {
        String(cFormat: "%lld.%03lld", nanoseconds.floorDivided(by: 1_000_000_000), nanoseconds.floorModulo(1_000_000_000) / 1_000_000)
    }

    /// RFC 3339 in UTC with milliseconds: `2026-11-22T09:52:01.123Z`.
    package static func rfc3339(unixNanoseconds nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds.floorDivided(by: 1_000_000_000))
        let milliseconds = Int32(nanoseconds.floorModulo(1_000_000_000) / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(cFormat: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, milliseconds)
    }
}

extension WallClock {
    /// Reads an instant: RFC 3339 (`2026-11-22T13:00:00Z`, `2026-11-22T14:00:00.5+01:00`; `t`, `z`
    /// and a space are taken too) or `@` and seconds since 1970 (`@1795352400`, `@1795352400.25`).
    /// Nanoseconds since 1970, or `nil` for anything else.
    package static func parseInstant(_ text: String) -> Int64? {
        text.hasPrefix("@") ? parseUnixSeconds(text.dropFirst()) : parseRFC3339(text)
    }

    /// `1795352400.25`: seconds since 1970, a fraction read as digits.
    private static func parseUnixSeconds(_ text: Substring) -> Int64? {
        // Whole seconds and a fraction read as digits, not through a Double: `@1795352400.25`
        // is exactly a quarter second past, to the nanosecond.
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        let digits: (Substring) -> Bool = { $0.utf8.allSatisfy { (48...57).contains($0) } }
        guard !whole.isEmpty, whole.count <= 10, digits(whole), digits(fraction), parts.count == 1 || !fraction.isEmpty,
              let seconds = Int64(whole), seconds < 9_000_000_000 else { return nil }
        let nanoseconds = fraction.utf8.prefix(9).reduce(Int64(0)) { $0 * 10 + Int64($1 - 48) }
            * Int64(pow10: 9 - Swift.min(9, fraction.utf8.count))
        return seconds * 1_000_000_000 + nanoseconds
    }

    /// `2026-11-22T14:00:00.5+01:00`.
    private static func parseRFC3339(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count, range.allSatisfy({ (48...57).contains(bytes[$0]) }) else { return nil }
            return range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) }
        }
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var position = 19
        var fraction: Int64 = 0
        if bytes[position] == UInt8(ascii: ".") {
            position += 1
            var digits = 0
            while position < bytes.count, (48...57).contains(bytes[position]) {
                if digits < 9 { fraction = fraction * 10 + Int64(bytes[position] - 48) }
                digits += 1
                position += 1
            }
            guard digits > 0 else { return nil }
            if digits < 9 { for _ in digits..<9 { fraction *= 10 } }
        }
        guard position < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[position] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard position + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard position + 6 == bytes.count, bytes[position + 3] == UInt8(ascii: ":"),
                  let hours = number((position + 1)..<(position + 3)), let minutes = number((position + 4)..<(position + 6)),
                  hours < 24, minutes < 60 else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[position] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        // timegm normalizes 2026-02-31 to March: such a date is refused.
        guard seconds != -1 || year == 1969, parts.tm_mday == Int32(day), parts.tm_mon == Int32(month - 1) else { return nil }
        // Years beyond what 64-bit nanoseconds since 1970 hold (about 1678 to 2262) are no instant.
        let (utc, early) = Int64(seconds).subtractingReportingOverflow(Int64(offsetSeconds))
        let (nanoseconds, large) = utc.multipliedReportingOverflow(by: 1_000_000_000)
        let (instant, beyond) = nanoseconds.addingReportingOverflow(fraction)
        guard !early, !large, !beyond else { return nil }
        return instant
    }
}

extension Int64 {
    fileprivate init(pow10 exponent: Int) {
        self = (0..<exponent).reduce(1) { product, _ in product * 10 }
    }

    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
