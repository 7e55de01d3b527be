/// A JSON report read from elsewhere (`hit report`, `hit merge`): CI jobs pass reports around,
/// some from untrusted pull requests, so a report is hostile input until it has been checked here.
///
/// One check serves every command that reads reports: the document's shape before it is decoded
/// (`checkStructure`: no object with more than `maximumKeys` keys, no nesting deeper than
/// `maximumDepth`), then every number of the decoded report (`validate`): finite, and within the
/// bounds a real run can produce, which keep the arithmetic that follows them (sums over
/// `Shard.maximumCount` shards, microseconds to nanoseconds, offsets plus lengths) inside 64
/// bits; histogram encodings within HdrHistogram's own limits; and, for a merge, shards that agree
/// on their interval and targets (`checkSameRun`). Whatever passes can be rendered and merged
/// without a trap, a hang or memory out of proportion to the file.
extension JSONReport {
    /// Why a report is refused, in one line that names the field.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String

        init(_ description: String) {
            self.description = description
        }
    }

    /// The most keys one object may hold: the report's maps (status codes, phases, percentiles)
    /// hold a few dozen; 1,000 leaves room for every three-digit status code.
    public static let maximumKeys = 1_000
    /// The deepest nesting: the report's own is 5.
    public static let maximumDepth = 16

    /// Reads an untrusted document: its structure, the decoding (unknown keys are dropped), the
    /// schema version and every number. Throws `Invalid` for a report beyond bounds, and the
    /// decoder's error for one that is not a report at all.
    public static func decode(untrusted bytes: some Collection<UInt8>) throws -> JSONReport {
        let bytes = Array(bytes)
        try checkStructure(bytes)
        let report = try decode(bytes)
        guard report.version == schemaVersion else {
            throw Invalid("it is a version \(report.version) JSON report; this hit reads version \(schemaVersion)")
        }
        try report.validate()
        return report
    }

    /// Refuses, before anything is decoded, a document with an object of more than `maximumKeys`
    /// keys or nesting deeper than `maximumDepth`: decoding holds the whole document in memory, many
    /// times its size, and a crafted one would spend it on millions of keys.
    public static func checkStructure(_ bytes: [UInt8]) throws(Invalid) {
        // Per open level: its keys so far, or -1 for an array. One pass, a byte at a time.
        var keys = [Int](repeating: 0, count: maximumDepth + 1)
        var depth = 0
        let quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, colon: UInt8 = 0x3A
        let openObject: UInt8 = 0x7B, closeObject: UInt8 = 0x7D, openArray: UInt8 = 0x5B, closeArray: UInt8 = 0x5D
        var inString = false, escaped = false
        var failure: Invalid?
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                if inString {
                    if escaped { escaped = false } else if byte == backslash { escaped = true } else if byte == quote { inString = false }
                    continue
                }
                switch byte {
                case quote: inString = true
                case openObject, openArray:
                    depth += 1
                    guard depth <= maximumDepth else {
                        failure = Invalid("it nests deeper than \(maximumDepth) levels")
                        return
                    }
                    keys[depth] = byte == openObject ? 0 : -1
                case closeObject, closeArray:
                    depth = Swift.max(0, depth - 1)
                case colon:
                    guard depth > 0, keys[depth] >= 0 else { continue }
                    keys[depth] += 1
                    guard keys[depth] <= maximumKeys else {
                        failure = Invalid("an object holds more than \(maximumKeys) keys")
                        return
                    }
                default: continue
                }
            }
        }
        if let failure { throw failure }
    }

    /// Checks every number of the report against what a run can produce (see the type's notes).
    public func validate() throws(Invalid) {
        let check = ReportBounds()
        guard version == Self.schemaVersion else { throw Invalid("version is \(version), not \(Self.schemaVersion)") }
        try check.unix(startUnixNs, "startUnixNs")
        if let startAtUnixNs { try check.unix(startAtUnixNs, "startAtUnixNs") }
        try check.time(startedLateUs, "startedLateUs")
        guard startUptimeNs <= UInt64(Int64.max) else { throw Invalid("startUptimeNs is \(startUptimeNs), above 2^63 - 1") }
        if let shard { try Self.validate(shard, check) }
        try configuration.validate(check)
        try summary.validate(check)
        try check.latency(latency, "latency")
        try check.latency(correctedLatency, "correctedLatency")
        if let pacing { try Self.validate(pacing, check) }
        try validateBreakdowns(check)
        if let generator { try Self.validate(generator, check) }
        for (index, rule) in thresholds.enumerated() {
            if let measured = rule.measured { try check.measure(measured, "thresholds[\(index)].measured") }
        }
        try timeline.validate(check)
    }

    private static func validate(_ shard: ShardFigures, _ check: ReportBounds) throws(Invalid) {
        guard (1...Shard.maximumCount).contains(shard.count) else {
            throw Invalid("shard.count is \(shard.count), not from 1 to \(Shard.maximumCount)")
        }
        for (name, list) in [("covered", shard.covered), ("missing", shard.missing)] {
            guard list.allSatisfy({ (0..<shard.count).contains($0) }), Set(list).count == list.count else {
                throw Invalid("shard.\(name) holds a shard twice or one outside 0 to \(shard.count - 1)")
            }
        }
        guard !shard.covered.isEmpty, Set(shard.covered).isDisjoint(with: shard.missing) else {
            throw Invalid("shard.covered is empty or shares a shard with shard.missing")
        }
        if let index = shard.index, !(0..<shard.count).contains(index) {
            throw Invalid("shard.index is \(index), not from 0 to \(shard.count - 1)")
        }
        try check.time(shard.startsApartUs, "shard.startsApartUs")
    }

    private static func validate(_ pacing: Pacing, _ check: ReportBounds) throws(Invalid) {
        try check.configuredRate(pacing.rate, "pacing.rate")
        try check.rate(pacing.achievedRate, "pacing.achievedRate")
        try check.count(pacing.late, "pacing.late")
        try check.count(pacing.dropped, "pacing.dropped")
        try check.time(pacing.lateAfterUs, "pacing.lateAfterUs")
        try check.latencyTime(pacing.latenessP50Us, "pacing.latenessP50Us")
        try check.latencyTime(pacing.latenessP99Us, "pacing.latenessP99Us")
        try check.latencyTime(pacing.latenessMaxUs, "pacing.latenessMaxUs")
        if let encoded = pacing.latenessEncoded { try check.histogram(encoded, "pacing.latenessEncoded") }
    }

    /// The phases, statuses, versions, connections, errors and targets.
    private func validateBreakdowns(_ check: ReportBounds) throws(Invalid) {
        for (name, figures) in phases {
            let path = "phases.\(ReportBounds.quoted(name))"
            try check.count(figures.count, path + ".count")
            for (field, value) in [("p50Us", figures.p50Us), ("p90Us", figures.p90Us), ("p99Us", figures.p99Us), ("maxUs", figures.maxUs)] {
                try check.latencyTime(value, "\(path).\(field)")
            }
            if let encoded = figures.encoded { try check.histogram(encoded, path + ".encoded") }
        }
        for (code, count) in statusCodes {
            guard code.utf8.count <= 3, code.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), !code.isEmpty else {
                throw Invalid("statusCodes holds '\(ReportBounds.quoted(code))', not a status code of three digits at most")
            }
            try check.count(count, "statusCodes.\(code)")
        }
        for (name, count) in httpVersions { try check.count(count, "httpVersions.\(ReportBounds.quoted(name))") }
        try check.count(connections.opened, "connections.opened")
        try check.count(connections.mostRequestsOnOne, "connections.mostRequestsOnOne")
        try check.count(connections.http1Fallbacks, "connections.http1Fallbacks")
        try check.count(connections.fallbacks, "connections.fallbacks")
        guard transportErrors.count <= 256 else { throw Invalid("transportErrors lists \(transportErrors.count) kinds, more than 256") }
        for (index, figures) in transportErrors.enumerated() { try check.count(figures.count, "transportErrors[\(index)].count") }
        guard targets.count <= configuration.targets.count else {
            throw Invalid("targets lists \(targets.count) targets, more than the configuration's \(configuration.targets.count)")
        }
        for (index, figures) in targets.enumerated() {
            let path = "targets[\(index)]"
            for (field, value) in [("completed", figures.completed), ("succeeded", figures.succeeded), ("errors", figures.errors),
                                   ("failedByStatus", figures.failedByStatus), ("transportErrors", figures.transportErrors)] {
                try check.count(value, "\(path).\(field)")
            }
            try check.latencyTime(figures.meanUs, path + ".meanUs")
            try check.latency(figures.latency, path + ".latency")
            try check.latency(figures.correctedLatency, path + ".correctedLatency")
            if let name = figures.name {
                do {
                    try Request.validate(name: name)
                } catch {
                    throw Invalid("\(path).name: \(error)")
                }
            }
        }
    }

    private static func validate(_ generator: GeneratorFigures, _ check: ReportBounds) throws(Invalid) {
        guard generator.loopBusy.count <= 100_000, generator.loopBusy.allSatisfy({ $0.isFinite && (0...1).contains($0) }) else {
            throw Invalid("generator.loopBusy holds more than 100000 loops or a share outside 0 to 1")
        }
        try check.rate(generator.cpuSeconds, "generator.cpuSeconds")
        try check.count(generator.peakResidentBytes, "generator.peakResidentBytes")
        if let share = generator.quotaThrottled, !(0...1).contains(share) {
            throw Invalid("generator.quotaThrottled is outside 0 to 1")
        }
    }

    /// Refuses reports that cannot be parts of one run although their digests match (a digest
    /// copied from another report): every report must have the same interval and the same targets.
    /// And the run they add up to must be one a report can hold: its counts within 2^45 too, so that
    /// the merge is read back as any report is, and its sums of latencies stay within a Duration.
    public static func checkSameRun(_ reports: [(name: String, report: JSONReport)]) throws(Invalid) {
        guard let (firstName, first) = reports.first else { return }
        let limit = Bounds.counts.upperBound
        func total(_ name: String, _ value: (JSONReport) -> [Int]) throws(Invalid) {
            var sum = 0
            for (_, report) in reports {
                for count in value(report) {
                    sum += count  // each at most 2^45, and at most Shard.maximumCount reports: no overflow
                    guard sum <= limit else { throw Invalid("the reports add up to more than 2^45 \(name): not one run") }
                }
            }
        }
        try total("requests started", { [$0.summary.started] })
        try total("requests completed", { [$0.summary.completed, $0.summary.transportErrors] })
        try total("responses", { [$0.summary.succeeded, $0.summary.failedByStatus] })
        try total("bytes received", { [$0.summary.bodyBytesReceived, $0.summary.wireBytesReceived] })
        try total("bytes sent", { [$0.summary.bodyBytesSent, $0.summary.wireBytesSent] })
        try total("responses of a target", { $0.targets.flatMap { [$0.succeeded, $0.failedByStatus] } })
        let targets = first.configuration.targets.map { [$0.name ?? "", $0.method, $0.url, String($0.weight)] }
        for (name, report) in reports.dropFirst() {
            guard report.timeline.intervalUs == first.timeline.intervalUs else {
                throw Invalid("\(name) has intervals of \(report.timeline.intervalUs) µs, \(firstName) of \(first.timeline.intervalUs) µs: "
                    + "a merge lines up intervals of one length")
            }
            guard report.configuration.targets.map({ [$0.name ?? "", $0.method, $0.url, String($0.weight)] }) == targets else {
                throw Invalid("\(name) and \(firstName) list different targets: not shards of one run")
            }
        }
    }
}

extension RunConfiguration {
    func validate(_ check: ReportBounds) throws(JSONReport.Invalid) {
        guard !targets.isEmpty else { throw .init("configuration.targets is empty") }
        for (index, target) in targets.enumerated() {
            guard (1...TargetMix.maximumCycle).contains(target.weight) else {
                throw .init("configuration.targets[\(index)].weight is \(target.weight), not from 1 to \(TargetMix.maximumCycle)")
            }
            if let name = target.name {
                do {
                    try Request.validate(name: name)
                } catch {
                    throw .init("configuration.targets[\(index)].name: \(error)")
                }
            }
        }
        try check.count(requests, "configuration.requests")
        guard (1...Options.maximumConcurrency).contains(concurrency) else {
            throw .init("configuration.concurrency is \(concurrency), not from 1 to \(Options.maximumConcurrency)")
        }
        if let rate { try check.configuredRate(rate, "configuration.rate") }
        try check.time(durationUs, "configuration.durationUs")
        try check.count(bodyBytes, "configuration.bodyBytes")
        try check.time(timeoutUs, "configuration.timeoutUs")
        try check.time(connectTimeoutUs, "configuration.connectTimeoutUs")
        guard (-1...1_000_000).contains(maxRedirects) else { throw .init("configuration.maxRedirects is \(maxRedirects), not from -1 to 1000000") }
        for (name, value) in [("connectionsPerOrigin", connectionsPerOrigin), ("streamsPerConnection", streamsPerConnection)] {
            if let value, !(1...Options.maximumConcurrency).contains(value) {
                throw .init("configuration.\(name) is \(value), not from 1 to \(Options.maximumConcurrency)")
            }
        }
        for (index, stage) in stages.enumerated() {
            try check.time(stage.startUs, "configuration.stages[\(index)].startUs")
            try check.time(stage.durationUs, "configuration.stages[\(index)].durationUs")
            try check.configuredRate(stage.targetRate, "configuration.stages[\(index)].targetRate")
        }
        try check.time(rampUpUs, "configuration.rampUpUs")
    }
}

extension JSONReport.Counts {
    func validate(_ check: ReportBounds) throws(JSONReport.Invalid) {
        try check.count(requested, "summary.requested")
        try check.count(neverStarted, "summary.neverStarted")
        for (name, value) in [("started", started), ("completed", completed), ("succeeded", succeeded), ("errors", errors),
                              ("failedByStatus", failedByStatus), ("transportErrors", transportErrors), ("timeouts", timeouts),
                              ("abortedInFlight", abortedInFlight), ("retried", retried), ("dropped", dropped),
                              ("bodyBytesReceived", bodyBytesReceived), ("bodyBytesSent", bodyBytesSent),
                              ("wireBytesReceived", wireBytesReceived), ("wireBytesSent", wireBytesSent)] {
            try check.count(value, "summary.\(name)")
        }
        for (name, value) in [("durationUs", durationUs), ("firstSendUs", firstSendUs), ("lastSendUs", lastSendUs),
                              ("firstEndUs", firstEndUs), ("lastEndUs", lastEndUs)] {
            try check.time(value, "summary.\(name)")
        }
        if let successPercent, !(successPercent.isFinite && (0...100).contains(successPercent)) {
            throw .init("summary.successPercent is \(successPercent), not from 0 to 100")
        }
        for (name, value) in [("requestsPerSecond", requestsPerSecond), ("bodyBytesReceivedPerSecond", bodyBytesReceivedPerSecond),
                              ("bodyBytesSentPerSecond", bodyBytesSentPerSecond)] {
            try check.rate(value, "summary.\(name)")
        }
    }
}

extension JSONReport.TimelineFigures {
    func validate(_ check: ReportBounds) throws(JSONReport.Invalid) {
        // From --interval's least; a long run's timeline doubles its interval as it coarsens.
        let lengths = Options.intervals.lowerBound.microsecondsValue...Bounds.times.upperBound
        guard lengths.contains(intervalUs) else {
            throw .init("timeline.intervalUs is \(intervalUs), not from \(lengths.lowerBound) to \(lengths.upperBound) µs")
        }
        for (index, interval) in intervals.enumerated() {
            let path = "timeline.intervals[\(index)]"
            try check.time(interval.offsetUs, path + ".offsetUs")
            try check.time(interval.durationUs, path + ".durationUs")
            try check.unix(interval.startUnixNs, path + ".startUnixNs")
            for (name, value) in [("sent", interval.sent), ("completed", interval.completed), ("succeeded", interval.succeeded),
                                  ("failedByStatus", interval.failedByStatus), ("transportErrors", interval.transportErrors),
                                  ("timeouts", interval.timeouts), ("bodyBytesReceived", interval.bodyBytesReceived),
                                  ("inFlight", interval.inFlight)] {
                try check.count(value, "\(path).\(name)")
            }
            try check.count(interval.late, path + ".late")
            try check.time(interval.latenessMaxUs, path + ".latenessMaxUs")
            for (name, map) in [("statusClasses", interval.statusClasses), ("errorKinds", interval.errorKinds)] {
                for (key, value) in map { try check.count(value, "\(path).\(name).\(ReportBounds.quoted(key))") }
            }
            try check.rate(interval.sendRate, path + ".sendRate")
            try check.rate(interval.completedRate, path + ".completedRate")
            for (name, latency) in [("latency", interval.latency), ("correctedLatency", interval.correctedLatency)] {
                guard let latency else { continue }
                for (field, value) in [("p50Us", latency.p50Us), ("p90Us", latency.p90Us), ("p99Us", latency.p99Us), ("maxUs", latency.maxUs)] {
                    try check.latencyTime(value, "\(path).\(name).\(field)")
                }
                // The encoding itself is decoded where it is used (a merge), by a codec that refuses
                // what HdrHistogram refuses; here only its size.
                if let encoded = latency.encoded, encoded.utf8.count > ReportBounds.maximumEncodedHistogram {
                    throw .init("\(path).\(name).encoded is longer than \(ReportBounds.maximumEncodedHistogram) characters")
                }
            }
        }
    }
}

/// The bounds of a report's numbers (see `JSONReport.validate()`).
struct ReportBounds {
    /// Base64 of a compressed histogram of hit's: a few hundred bytes, at most some 100 KB.
    static let maximumEncodedHistogram = 4 << 20
    /// The latest start: 2^62 ns after 1970 (the year 2116), so that a start plus any offset
    /// (at most 2^50 µs) stays within 64 bits.
    static let unixNanoseconds: ClosedRange<Int64> = 0...(1 << 62)
    /// A rate a run reports: requests or bytes per second. 2^53 is beyond any run and every
    /// integer below it is exact as a Double.
    static let rates: ClosedRange<Double> = 0...9_007_199_254_740_992

    func count(_ value: Int?, _ name: @autoclosure () -> String) throws(JSONReport.Invalid) {
        guard let value else { return }
        guard Bounds.counts.contains(value) else { throw .init("\(name()) is \(value), not a count from 0 to 2^45") }
    }

    func time(_ value: Int64?, _ name: @autoclosure () -> String) throws(JSONReport.Invalid) {
        guard let value else { return }
        guard Bounds.times.contains(value) else { throw .init("\(name()) is \(value), not a time from 0 to 2^50 µs") }
    }

    /// A latency, or a figure of latencies: hit's histograms hold up to an hour
    /// (`LatencyHistogram.highestTrackable`), and a mean times a count must stay within a Duration.
    func latencyTime(_ value: Int64?, _ name: @autoclosure () -> String) throws(JSONReport.Invalid) {
        guard let value else { return }
        guard (0...Int64(LatencyHistogram.highestTrackable)).contains(value) else {
            throw .init("\(name()) is \(value), not a latency from 0 to \(LatencyHistogram.highestTrackable) µs (an hour)")
        }
    }

    func unix(_ value: Int64, _ name: @autoclosure () -> String) throws(JSONReport.Invalid) {
        guard Self.unixNanoseconds.contains(value) else {
            throw .init("\(name()) is \(value), not nanoseconds from 1970 to 2^62 (the year 2116)")
        }
    }

    func rate(_ value: Double?, _ name: @autoclosure () -> String) throws(JSONReport.Invalid) {
        guard let value else { return }
        guard value.isFinite, Self.rates.contains(value) else { throw .init("\(name()) is \(value), not a rate from 0 to 2^53 a second") }
    }

    /// A rate asked for: `-rps` or a stage's target, from 0 to `Options.maximumRate`.
    func configuredRate(_ value: Double, _ name: @autoclosure () -> String) throws(JSONReport.Invalid) {
        guard value.isFinite, (0...Options.maximumRate).contains(value) else {
            throw .init("\(name()) is \(value), not a rate from 0 to \(Int(Options.maximumRate)) requests a second")
        }
    }

    /// What a rule measured: µs, a percentage, a count or a rate.
    func measure(_ value: Double, _ name: @autoclosure () -> String) throws(JSONReport.Invalid) {
        guard value.isFinite, Self.rates.contains(value) else { throw .init("\(name()) is \(value), not a measure from 0 to 2^53") }
    }

    func latency(_ figures: JSONReport.Latency?, _ name: String) throws(JSONReport.Invalid) {
        guard let figures else { return }
        try count(figures.count, name + ".count")
        for (field, value) in [("minUs", figures.minUs), ("meanUs", figures.meanUs), ("stdevUs", figures.stdevUs), ("maxUs", figures.maxUs)] {
            try latencyTime(value, "\(name).\(field)")
        }
        for (key, value) in figures.percentilesUs { try latencyTime(value, "\(name).percentilesUs.\(Self.quoted(key))") }
        let histogram = figures.histogram
        guard (0...5).contains(histogram.significantDigits) else {
            throw .init("\(name).histogram.significantDigits is \(histogram.significantDigits), not from 0 to 5")
        }
        var total: UInt64 = 0
        for pair in histogram.counts {
            guard pair.count == 2 else { throw .init("\(name).histogram.counts holds a pair of \(pair.count) numbers") }
            let (sum, overflow) = total.addingReportingOverflow(pair[1])
            guard !overflow, sum <= UInt64(Bounds.counts.upperBound) else {
                throw .init("\(name).histogram.counts holds more than \(Bounds.counts.upperBound) values")
            }
            total = sum
        }
        try self.histogram(histogram.encoded, name + ".histogram.encoded")
    }

    /// An HdrHistogram V2 encoding: decoded (within HdrHistogram's limits) and at most 2^45 values.
    func histogram(_ encoded: String, _ name: @autoclosure () -> String) throws(JSONReport.Invalid) {
        guard encoded.utf8.count <= Self.maximumEncodedHistogram else {
            throw .init("\(name()) is longer than \(Self.maximumEncodedHistogram) characters")
        }
        do {
            _ = try Summary.histogram(encoded, name())
        } catch {
            throw .init(error.description)
        }
    }

    /// A key as a message may quote it: at most 40 characters, control characters escaped.
    static func quoted(_ key: String) -> String {
        let short = key.count > 40 ? key.prefix(40) + "…" : Substring(key)
        return String(short.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? Character("?") : Character($0) })
    }
}

/// What a report read back may hold: counts up to 2^45 (some 35 trillion) and times up to 2^50 µs
/// (some 35 years), so that the shards of a run, up to `Shard.maximumCount` of them, add up
/// within 64 bits. A crafted or damaged report beyond them is refused, never a trap.
enum Bounds {
    static let counts = 0...(1 << 45)
    static let times: ClosedRange<Int64> = 0...(1 << 50)

    static func count(_ value: Int, _ name: String) throws(Summary.ReadingError) -> Int {
        guard counts.contains(value) else { throw Summary.ReadingError(description: "\(name) is \(value), not a count from 0 to 2^45") }
        return value
    }

    static func time(_ value: Int64, _ name: String) throws(Summary.ReadingError) -> Int64 {
        guard times.contains(value) else { throw Summary.ReadingError(description: "\(name) is \(value), not a time from 0 to 2^50 µs") }
        return value
    }
}

extension Summary {
    /// Decodes a histogram's encoding and checks that it holds at most 2^45 values, without
    /// building the histogram: an interval's, checked when a report is read, is built only if a
    /// merge needs it.
    static func checkedEncoding(_ encoded: String, _ name: String) throws(ReadingError) -> HdrHistogramV2 {
        let decoded: HdrHistogramV2
        do {
            decoded = try HdrHistogramV2(base64: encoded)
        } catch {
            throw ReadingError(description: "\(name): \(error.description)")
        }
        var total: UInt64 = 0
        for bucket in decoded.counts {
            let (sum, overflow) = total.addingReportingOverflow(bucket.count)
            guard !overflow, sum <= UInt64(Bounds.counts.upperBound) else {
                throw ReadingError(description: "\(name) holds more than \(Bounds.counts.upperBound) values")
            }
            total = sum
        }
        return decoded
    }
}
