/// A timeline as an HdrHistogram interval log (`.hlog`, log format 1.3): one line per interval
/// with its start, length, maximum and compressed histogram, readable by HdrHistogram's log
/// readers (Java's `HistogramLogReader`, Python's `hdrh.log`) and plotters.
///
/// Histogram values are microseconds; `Interval_Max` is in milliseconds, as HdrHistogram's tools
/// show it. Timestamps count from `#[BaseTime]`, the run's start on the wall clock. An interval
/// with no response has no histogram and is left out, as HdrHistogram's own recorders do.
public struct IntervalLog: CustomStringConvertible, Sendable {
    public let timeline: Timeline
    /// Which latency: measured from each request's send, or (under a rate) from its intended time.
    public let corrected: Bool

    public init(_ timeline: Timeline, corrected: Bool = false) {
        self.timeline = timeline
        self.corrected = corrected
    }

    public var description: String {
        let start = WallClock.seconds(unixNanoseconds: timeline.startUnixNanoseconds)
        var lines = [
            "#[Histogram log format version 1.3]",
            "#[StartTime: \(start) (seconds since epoch), \(WallClock.rfc3339(unixNanoseconds: timeline.startUnixNanoseconds))]",
            "#[BaseTime: \(start) (seconds since epoch)]",
            "#[Written by hit \(hitVersion): \(corrected ? "latency from each request's intended send time" : "latency") in microseconds]",
            "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"",
        ]
        for interval in timeline.intervals {
            guard let encoded = corrected ? interval.encodedCorrectedLatency : interval.encodedLatency,
                  let max = (corrected ? interval.correctedLatency : interval.latency)?.max else { continue }
            lines.append(String(cFormat: "%.3f,%.3f,%.3f,", interval.offset.seconds, interval.length.seconds, max.seconds * 1000) + encoded)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
