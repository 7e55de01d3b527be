import FoundationEssentials

/// The machine-readable report: one JSON document (schema in the README, `version` 3). Durations
/// are in microseconds; the latency histogram's `counts` can be merged exactly with another run's
/// (`LatencyHistogram(sparseCounts:minimum:maximum:)`), and `encoded` is the same histogram in
/// HdrHistogram's V2 encoding, which HdrHistogram's own libraries read.
///
/// It decodes as well: `hit report` renders a saved document.
///
/// The document has one shape: every key is always present, with `null` where a run has no value
/// (no response, no schedule, no rule).
public struct JSONReport: Codable, Sendable {
    public static let schemaVersion = 3

    public private(set) var version = JSONReport.schemaVersion
    public private(set) var hit = hitVersion
    /// What sent the requests: hit's and libcurl's versions, the TLS library, libcurl's features.
    /// Absent from reports written before it was added.
    public private(set) var client: ClientVersion? = .current
    public let interrupted: Bool
    public let deadlineReached: Bool
    /// The run's origin on CLOCK_MONOTONIC, in nanoseconds: request i of a paced run was due at
    /// `startUptimeNs + i / rate` seconds.
    public let startUptimeNs: UInt64
    /// The same instant on the wall clock: nanoseconds since 1970, and RFC 3339 in UTC.
    public let startUnixNs: Int64
    public let startTime: String
    /// Under `--start-at`: the instant asked for, and how long after it the run was ready to send
    /// (0 when it was ready before and waited); after a merge, the latest shard's. null without.
    public let startAt: String?
    public let startAtUnixNs: Int64?
    public let startedLateUs: Int64?
    /// A run spread over several processes: which shards this report covers. null for a run in one.
    public let shard: ShardFigures?
    public internal(set) var configuration: RunConfiguration
    public let summary: Counts
    public let latency: Latency?
    /// In a paced run: latency from each request's intended send time (coordinated omission).
    public let correctedLatency: Latency?
    public let pacing: Pacing?
    /// How hard hit itself worked (see `GeneratorLoad`); null in a report written before hit
    /// measured it.
    public var generator: GeneratorFigures? = nil

    public struct GeneratorFigures: Codable, Sendable {
        /// Each event loop's busy share of its running time, 0 to 1 (a merge lists every shard's).
        public let loopBusy: [Double]
        /// Whether a loop was at least 90% busy: the throughput was hit's limit as much as the server's.
        public let saturated: Bool
        public let cpuSeconds: Double
        public let peakResidentBytes: Int
        /// Under a CPU quota, the share of its periods in which it stopped hit, 0 to 1; absent
        /// without a quota. From 0.1 on, `saturated` is true.
        public var quotaThrottled: Double? = nil
    }

    public struct ShardFigures: Codable, Sendable {
        /// This shard's index (from 0); null in a merge of several.
        public let index: Int?
        public let count: Int
        /// The shards covered, and those a partial merge lacks.
        public let covered: [Int]
        public let missing: [Int]
        /// A digest of the run's configuration (the whole run's), shared by its shards.
        public let configurationHash: String
        /// How far apart on the wall clock the shards covered started (0 for one shard, and under
        /// one `--start-at`), and whether that was further than a merge lines timelines up across
        /// (`hit merge --unsynchronized`). null in a report written before hit wrote them.
        public let startsApartUs: Int64?
        public let unsynchronized: Bool?
    }

    public struct Pacing: Codable, Sendable {
        /// The asked rate; under `--stages`, the highest the stages reach.
        public let rate: Double
        /// Requests per second between the first send and the last.
        public let achievedRate: Double?
        /// Requests sent more than `lateAfterUs` behind schedule.
        public let late: Int
        public let lateAfterUs: Int64
        public let latenessP50Us: Int64?
        public let latenessP99Us: Int64?
        public let latenessMaxUs: Int64?
        /// The late requests' lateness, HdrHistogram V2 encoded (µs); null when none was late.
        public let latenessEncoded: String?
        /// Requests due before the deadline but never sent: every worker was busy, or hit did not keep up.
        public let dropped: Int
    }
    public let phases: [String: PhaseFigures]
    public let statusCodes: [String: Int]
    public let httpVersions: [String: Int]
    public let connections: Connections

    public struct Connections: Codable, Sendable {
        /// Connections the run opened.
        public let opened: Int
        /// The most requests one connection carried (with HTTP/2, streams); null when not known
        /// (a unix-domain socket).
        public let mostRequestsOnOne: Int?
        /// With HTTP/2 or HTTP/3 asked for: responses that came in HTTP/1.x (for HTTP/2, because
        /// the server did not offer h2 in TLS's ALPN); null with HTTP/1.1.
        public let http1Fallbacks: Int?
        /// With HTTP/2 or HTTP/3 asked for: responses that came in an older version than asked
        /// (for HTTP/3, over TCP because no QUIC connection was made in time); null with HTTP/1.1.
        public let fallbacks: Int?
    }
    /// Transport errors by kind.
    public internal(set) var transportErrors: [ErrorFigures]
    public internal(set) var targets: [TargetFigures]
    /// `passed`, `failed`, `unreachable` or `interrupted`.
    public let verdict: String?
    /// Why, in one line.
    public let verdictReason: String?
    public let thresholds: [ThresholdFigures]
    public let timeline: TimelineFigures

    public struct TimelineFigures: Codable, Sendable {
        public let intervalUs: Int64
        public let intervals: [IntervalFigures]
    }

    /// One interval of the timeline (see `Timeline.Interval`).
    public struct IntervalFigures: Codable, Sendable {
        /// From the run's start, and on the wall clock (RFC 3339, UTC; and nanoseconds since 1970).
        public let offsetUs: Int64
        public let startTime: String
        public let startUnixNs: Int64
        public let durationUs: Int64
        public let sent: Int
        public let completed: Int
        public let succeeded: Int
        public let failedByStatus: Int
        public let transportErrors: Int
        public let timeouts: Int
        public let statusClasses: [String: Int]
        public let errorKinds: [String: Int]
        public let bodyBytesReceived: Int
        public let inFlight: Int
        /// Shorter than `intervalUs`: the run ended during it.
        public let partial: Bool?
        /// `null` for a partial interval shorter than half an interval (unless it is the whole
        /// run): a rate over a few ms would mislead.
        public let sendRate: Double?
        public let completedRate: Double?
        public let late: Int?
        public let latenessMaxUs: Int64?
        public let latency: IntervalLatency?
        public let correctedLatency: IntervalLatency?
    }

    public struct IntervalLatency: Codable, Sendable {
        public let p50Us: Int64
        public let p90Us: Int64
        public let p99Us: Int64
        public let maxUs: Int64
        /// The interval's histogram, HdrHistogram V2 compressed, base64.
        public let encoded: String?
    }

    public struct ThresholdFigures: Codable, Sendable {
        public let rule: String
        /// In the rule's unit: microseconds for latencies, percent for shares; null with nothing to measure.
        public let measured: Double?
        /// For a latency rule, `corrected` or `uncorrected`: the latency it judged.
        public let latency: String?
        public let failed: Bool
        /// True when the value it judges fell among the dropped requests (`measured` is null).
        public var amongDropped: Bool? = nil
    }

    public struct Counts: Codable, Sendable {
        public let requested: Int?
        public let started: Int
        public let completed: Int
        public let succeeded: Int
        /// Every completed request that did not succeed: `failedByStatus` + `transportErrors`.
        public let errors: Int
        /// Completed with a status of 400 or more.
        public let failedByStatus: Int
        /// Ended without a complete response (connect, DNS, TLS, reset, timeout, protocol).
        public let transportErrors: Int
        /// The transport errors that were timeouts.
        public let timeouts: Int
        public let abortedInFlight: Int
        public let retried: Int
        public let neverStarted: Int?
        /// Due before a `-z` deadline under `-rps` but never sent.
        public let dropped: Int
        /// Under a feed read once, its rows, when they ended the run; null otherwise.
        public var feedUsedUp: Int? = nil
        /// null when nothing completed.
        public let successPercent: Double?
        public let durationUs: Int64
        public let requestsPerSecond: Double
        /// Body bytes, after content decoding.
        public let bodyBytesReceived: Int
        public let bodyBytesSent: Int
        /// Bytes on the wire: heads plus bodies as they came, before decoding.
        public let wireBytesReceived: Int
        public let wireBytesSent: Int
        public let bodyBytesReceivedPerSecond: Double
        public let bodyBytesSentPerSecond: Double
        /// When the first and the last completed request were sent and ended, from the start (µs);
        /// null when nothing completed. The rates above are taken between them.
        public let firstSendUs: Int64?
        public let lastSendUs: Int64?
        public let firstEndUs: Int64?
        public let lastEndUs: Int64?
    }

    public struct Latency: Codable, Sendable {
        public let count: Int
        public let minUs: Int64
        public let meanUs: Int64
        public let stdevUs: Int64
        public let maxUs: Int64
        /// "50", "75", ..., "99.99" → microseconds. For corrected latency with requests dropped, a
        /// percentile that falls among them is null (see `dropped`).
        public let percentilesUs: [String: Int64?]
        public let histogram: HistogramFigures
        /// Corrected latency only: requests dropped, never sent. They are in no histogram, and rank
        /// above every measured latency in the percentiles.
        public var dropped: Int? = nil
    }

    public struct HistogramFigures: Codable, Sendable {
        public private(set) var unit = "us"
        public private(set) var significantDigits = 3
        public private(set) var highestTrackableUs = LatencyHistogram.highestTrackable
        /// `[value, count]` for every non-empty bucket.
        public let counts: [[UInt64]]
        /// The same histogram in HdrHistogram's V2 compressed encoding, base64 (`HISTFAAA...`).
        public let encoded: String
    }

    public struct PhaseFigures: Codable, Sendable {
        public let count: Int
        public let p50Us: Int64
        public let p90Us: Int64
        public let p99Us: Int64
        public let maxUs: Int64
        /// The phase's histogram, HdrHistogram V2 encoded (µs).
        public let encoded: String?
    }

    public struct ErrorFigures: Codable, Sendable {
        public let kind: String
        public let count: Int
        public internal(set) var example: String
    }

    public struct TargetFigures: Codable, Sendable {
        /// The target's name; null for a target without one.
        public var name: String? = nil
        public let method: String
        public internal(set) var url: String
        public let completed: Int
        public let succeeded: Int
        public let errors: Int
        public let failedByStatus: Int
        public let transportErrors: Int
        public let meanUs: Int64?
        /// The target's own latency (of the responses), with its histogram; null when it got no
        /// response, in a run of one target (the run's is its own), and for targets after the
        /// first `Summary.targetsWithLatency`.
        public var latency: Latency? = nil
        /// Under a rate, the target's corrected latency, kept as `latency` is; null otherwise.
        public var correctedLatency: Latency? = nil
    }

    public init(_ s: Summary, test: LoadTest, verdict: Verdict? = nil) {
        self.init(s, configuration: test.configuration, paced: test.options.schedule != nil, verdict: verdict)
    }

    /// The report of `s`, a run (or a merge of shards) with `configuration`; `paced` under a rate.
    public init(_ s: Summary, configuration: RunConfiguration, paced: Bool, verdict: Verdict? = nil) {
        self.verdict = verdict?.outcome.rawValue
        verdictReason = verdict?.reason
        thresholds = (verdict?.thresholds ?? []).map {
            ThresholdFigures(rule: $0.threshold.text, measured: $0.measured, latency: $0.judged?.rawValue, failed: $0.failed,
                             amongDropped: $0.amongDropped ? true : nil)
        }
        interrupted = s.interrupted
        startUptimeNs = s.startUptimeNanoseconds
        startUnixNs = s.timeline.startUnixNanoseconds
        startTime = WallClock.rfc3339(unixNanoseconds: s.timeline.startUnixNanoseconds)
        startAt = s.startAt.map { WallClock.rfc3339(unixNanoseconds: $0) }
        startAtUnixNs = s.startAt
        startedLateUs = s.startedLate?.microsecondsValue
        shard = s.shards.map {
            ShardFigures(index: $0.covered.count == 1 ? $0.covered[0] : nil, count: $0.count, covered: $0.covered,
                         missing: $0.missing, configurationHash: $0.configurationHash,
                         startsApartUs: $0.startsApart.microsecondsValue, unsynchronized: $0.unsynchronized)
        }
        timeline = Self.timeline(of: s, paced: paced)
        deadlineReached = s.deadlineReached
        self.configuration = configuration
        summary = Self.counts(of: s)
        latency = Self.latency(s.latency, mean: s.meanLatency)
        correctedLatency = Self.latency(s.correctedLatency, mean: nil, dropped: s.dropped > 0 ? s : nil)
        generator = s.generator.map(Self.figures(of:))
        pacing = s.rate.map { Self.pacing(of: s, rate: $0) }
        phases = Self.phases(of: s)
        statusCodes = Dictionary(uniqueKeysWithValues: s.statusCounts.map { (String($0.key), $0.value) })
        httpVersions = Dictionary(uniqueKeysWithValues: s.httpVersions.map { ($0.key.rawValue, $0.value) })
        connections = Connections(opened: s.connectionsOpened,
                                  mostRequestsOnOne: s.mostRequestsOnOneConnection > 0 ? s.mostRequestsOnOneConnection : nil,
                                  http1Fallbacks: configuration.http.multiplexes ? s.http1Responses : nil,
                                  fallbacks: configuration.http.multiplexes ? s.responses(below: configuration.http.responseVersion) : nil)
        transportErrors = s.errorCounts.sorted { $0.key < $1.key }.map {
            ErrorFigures(kind: $0.key.rawValue, count: $0.value.count, example: $0.value.example)
        }
        targets = zip(configuration.targets, s.perTarget).map { target, tally in
            TargetFigures(name: target.name, method: target.method, url: target.url, completed: tally.completed,
                          succeeded: tally.succeeded, errors: tally.failed + tally.errored, failedByStatus: tally.failed,
                          transportErrors: tally.errored, meanUs: tally.meanLatency?.microsecondsValue,
                          latency: tally.latency.flatMap { Self.latency($0, mean: tally.meanLatency) },
                          correctedLatency: tally.correctedLatency.flatMap { Self.latency($0, mean: nil) })
        }
    }

    /// The timeline of `s`, interval by interval, on the wall clock.
    private static func timeline(of s: Summary, paced: Bool) -> TimelineFigures {
        TimelineFigures(intervalUs: s.timeline.interval.microsecondsValue, intervals: s.timeline.intervals.map { interval in
            let start = s.timeline.startUnixNanoseconds + interval.offset.nanoseconds
            return IntervalFigures(
                offsetUs: interval.offset.microsecondsValue, startTime: WallClock.rfc3339(unixNanoseconds: start), startUnixNs: start,
                durationUs: interval.length.microsecondsValue, sent: interval.sent, completed: interval.completed,
                succeeded: interval.succeeded, failedByStatus: interval.failedByStatus, transportErrors: interval.transportErrors,
                timeouts: interval.timeouts, statusClasses: interval.statusClasses, errorKinds: interval.errorKinds,
                bodyBytesReceived: interval.bytes, inFlight: interval.inFlight, partial: interval.partial,
                sendRate: interval.sendRate,
                completedRate: interval.completedRate, late: paced ? interval.late : nil,
                latenessMaxUs: paced ? (interval.latenessMax?.microsecondsValue ?? 0) : nil,
                latency: interval.latency.map { figures($0, encoded: interval.encodedLatency) },
                correctedLatency: interval.correctedLatency.map { figures($0, encoded: interval.encodedCorrectedLatency) })
        })
    }

    /// The counts of `s`.
    private static func counts(of s: Summary) -> Counts {
        Counts(
            requested: s.requested, started: s.started, completed: s.completed, succeeded: s.succeeded,
            errors: s.unsuccessful, failedByStatus: s.failed, transportErrors: s.errored, timeouts: s.timedOut,
            abortedInFlight: s.abandoned, retried: s.retried, neverStarted: s.neverStarted, dropped: s.dropped,
            feedUsedUp: s.feedUsedUp, successPercent: s.successPercent, durationUs: s.duration.microsecondsValue, requestsPerSecond: s.requestsPerSecond,
            bodyBytesReceived: s.bytes, bodyBytesSent: s.bytesSent,
            wireBytesReceived: s.wireBytesReceived, wireBytesSent: s.wireBytesSent,
            bodyBytesReceivedPerSecond: s.bytesPerSecond, bodyBytesSentPerSecond: s.bytesSentPerSecond,
            firstSendUs: s.firstSend?.microsecondsValue, lastSendUs: s.lastSend?.microsecondsValue,
            firstEndUs: s.firstEnd?.microsecondsValue, lastEndUs: s.lastEnd?.microsecondsValue
        )
    }

    /// How hard hit worked, rounded as the report prints it.
    private static func figures(of load: GeneratorLoad) -> GeneratorFigures {
        GeneratorFigures(loopBusy: load.loopBusy.map { ($0 * 1000).rounded() / 1000 }, saturated: load.saturated,
                         cpuSeconds: (load.cpuSeconds * 1000).rounded() / 1000, peakResidentBytes: load.peakResidentBytes,
                         quotaThrottled: load.quotaThrottled.map { ($0 * 1000).rounded() / 1000 })
    }

    /// How `s` kept its schedule at `rate`.
    private static func pacing(of s: Summary, rate: Double) -> Pacing {
        Pacing(rate: rate, achievedRate: s.achievedSendRate, late: s.late, lateAfterUs: Summary.lateAfter.microsecondsValue,
               latenessP50Us: s.late > 0 ? s.lateness.percentile(50).microsecondsValue : nil,
               latenessP99Us: s.late > 0 ? s.lateness.percentile(99).microsecondsValue : nil,
               latenessMaxUs: s.late > 0 ? s.lateness.max.microsecondsValue : nil,
               latenessEncoded: s.late > 0 ? HdrHistogramV2(s.lateness).base64Encoded() : nil,
               dropped: s.dropped)
    }

    /// Each phase of `s` that was timed.
    private static func phases(of s: Summary) -> [String: PhaseFigures] {
        var phases: [String: PhaseFigures] = [:]
        for (phase, histogram) in s.phases where !histogram.isEmpty {
            let distribution = histogram.distribution
            phases[phase.rawValue] = PhaseFigures(
                count: histogram.count,
                p50Us: distribution.percentile(50).microsecondsValue,
                p90Us: distribution.percentile(90).microsecondsValue,
                p99Us: distribution.percentile(99).microsecondsValue,
                maxUs: histogram.max.microsecondsValue,
                encoded: HdrHistogramV2(histogram).base64Encoded()
            )
        }
        return phases
    }

    /// `dropped`: for corrected latency, the summary whose dropped requests rank above it.
    private static func latency(_ histogram: LatencyHistogram, mean: Duration?, dropped: Summary? = nil) -> Latency? {
        guard !histogram.isEmpty else { return nil }
        let distribution = histogram.distribution
        var figures = Latency(
            count: histogram.count,
            minUs: histogram.min.microsecondsValue,
            meanUs: (mean ?? distribution.mean).microsecondsValue,
            stdevUs: distribution.standardDeviation.microsecondsValue,
            maxUs: histogram.max.microsecondsValue,
            percentilesUs: Dictionary(uniqueKeysWithValues: Summary.reportedPercentiles.map { p -> (String, Int64?) in
                if let dropped { return (Self.key(p), dropped.correctedPercentile(p, of: distribution)?.microsecondsValue) }
                return (Self.key(p), distribution.percentile(p).microsecondsValue)
            }),
            histogram: HistogramFigures(counts: histogram.sparseCounts, encoded: HdrHistogramV2(histogram).base64Encoded())
        )
        figures.dropped = dropped?.dropped
        return figures
    }

    private static func figures(_ percentiles: Timeline.Percentiles, encoded: String?) -> IntervalLatency {
        IntervalLatency(p50Us: percentiles.p50.microsecondsValue, p90Us: percentiles.p90.microsecondsValue,
                        p99Us: percentiles.p99.microsecondsValue, maxUs: percentiles.max.microsecondsValue, encoded: encoded)
    }

    /// Reads a document that `encoded()` wrote (`version` 3).
    public static func decode(_ bytes: some Collection<UInt8>) throws -> JSONReport {
        try JSONDecoder().decode(JSONReport.self, from: Data(bytes))
    }

    /// "50" for 50, "99.9" for 99.9.
    static func key(_ percentile: Double) -> String {
        percentile == percentile.rounded() ? String(Int(percentile)) : String(percentile)
    }

    /// The document, pretty-printed with sorted keys.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// The synthesized `Encodable` conformances in this file call `encodeIfPresent` for optionals, which
/// leaves a key out when its value is `nil`. These overloads, more specific than the standard
/// library's, write `null` instead: the report keeps one shape.
extension KeyedEncodingContainer {
    fileprivate mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }

    fileprivate mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }

    fileprivate mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }

    fileprivate mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }

    fileprivate mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }
}
