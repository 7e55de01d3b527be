/// Every conversion between `Duration` and plain numbers, in one place. Whole-unit values round
/// toward zero and clamp at the bounds of `Int64` instead of trapping.
extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded toward zero.
    var milliseconds: Int64 { whole(1_000) }

    /// Whole microseconds, rounded toward zero.
    var microsecondsValue: Int64 { whole(1_000_000) }

    /// Whole nanoseconds.
    package var nanoseconds: Int64 { whole(1_000_000_000) }

    /// A duration of `seconds` seconds, rounded to the nanosecond; `nil` unless finite and within
    /// ±292 years (what whole nanoseconds in an `Int64` hold).
    public init?(secondsValue seconds: Double) {
        let nanoseconds = (seconds * 1e9).rounded()
        guard nanoseconds.isFinite, abs(nanoseconds) < 9.2e18 else { return nil }
        self = .nanoseconds(Int64(nanoseconds))
    }

    /// The duration in units of 1/`perSecond` of a second, rounded toward zero, clamped to `Int64`.
    private func whole(_ perSecond: Int64) -> Int64 {
        let unit = 1_000_000_000_000_000_000 / perSecond
        // Under ±9.2 s (every latency but the slowest) in 64-bit arithmetic: this runs for each
        // value a histogram records.
        if let attoseconds = Int64(exactly: attoseconds) { return attoseconds / unit }
        return Int64(clamping: attoseconds / Int128(unit))
    }
}
