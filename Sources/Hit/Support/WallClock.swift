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

    /// The wall-clock time of `instant`, a moment on the monotonic clock not long ago.
    package static func unixNanoseconds(at instant: DispatchTime) -> Int64 {
        let wall = unixNanoseconds()
        let since = DispatchTime.now().uptimeNanoseconds &- instant.uptimeNanoseconds
        return wall - Int64(clamping: since)
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

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
