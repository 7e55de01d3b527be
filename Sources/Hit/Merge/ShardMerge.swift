/// The shards of one run (`--shard I/N`), merged into the run's report: counters and histograms
/// added exactly, timelines aligned on the wall clock (`hit merge`).
///
/// It refuses reports that are not shards, shards of different runs (their configuration digests
/// differ), a shard given twice, and an incomplete set unless `allowPartial`; the summary of a
/// partial merge says which shards it lacks. A merged report may itself be merged with the rest.
///
/// It also refuses shards that did not run together: whose starts on the wall clock (each
/// report's `startUnixNs`) lie further apart than `synchronizationBound(interval:)`, half the
/// timeline's interval and at most a second. Their timelines would not line up, and the merged
/// rates would spread the requests over a run longer than any of them. `allowUnsynchronized`
/// merges them anyway, and the summary says how far apart they started.
public struct ShardMerge: Sendable {
    /// The merged run.
    public let summary: Summary
    /// The whole run's configuration (every shard carries it).
    public let configuration: RunConfiguration
    /// Whether the run was paced (`-rps`, `--stages`).
    public let paced: Bool

    /// Why reports cannot be merged.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// How far apart shards may start and still be merged as one run: half the timeline's
    /// interval, and at most a second. Shards that share a `--start-at` start at the same instant.
    public static func synchronizationBound(interval: Duration) -> Duration {
        Swift.min(.seconds(1), interval / 2)
    }

    /// Merges `reports`, each with the name to call it by (its file).
    public init(_ reports: [(name: String, report: JSONReport)], allowPartial: Bool = false,
                allowUnsynchronized: Bool = false) throws(Problem) {
        guard let (firstName, first) = reports.first else { throw Problem(description: "no reports to merge") }
        var summaries: [Summary] = []
        var owner: [Int: String] = [:]
        for (name, report) in reports {
            guard let shard = report.shard else {
                throw Problem(description: "\(name) is not a shard's report: run each part with --shard I/N")
            }
            guard let reference = first.shard else {
                throw Problem(description: "\(firstName) is not a shard's report: run each part with --shard I/N")
            }
            guard shard.count == reference.count, shard.configurationHash == reference.configurationHash else {
                throw Problem(description: "\(name) is a shard of a different run than \(firstName) "
                    + "(\(shard.count) shards, configuration \(shard.configurationHash); "
                    + "\(reference.count) shards, configuration \(reference.configurationHash))")
            }
            for index in shard.covered {
                if let earlier = owner[index] {
                    throw Problem(description: earlier == name ? "\(name) is given twice"
                        : "\(earlier) and \(name) both hold shard \(index) of \(shard.count)")
                }
                owner[index] = name
            }
            do {
                summaries.append(try Summary(report: report))
            } catch {
                throw Problem(description: "\(name): \(error.description)")
            }
        }
        let (startsApart, earliest, latest) = Self.startsApart(reports)
        let bound = Self.synchronizationBound(interval: .microseconds(first.timeline.intervalUs))
        let unsynchronized = startsApart > bound || reports.contains { $0.report.shard?.unsynchronized == true }
        if unsynchronized, !allowUnsynchronized {
            let who = earliest == latest ? "the shards in \(earliest)" : "\(earliest) and \(latest)"
            throw Problem(description: "\(who) started \(Formatting.duration(startsApart)) apart, more than the "
                + "\(Formatting.duration(bound)) a merge lines timelines up across: start the shards with one --start-at, "
                + "or merge them anyway with --unsynchronized")
        }
        var summary = summaries[0]
        for other in summaries.dropFirst() { summary.merge(other) }
        summary.shards?.startsApart = startsApart
        summary.shards?.unsynchronized = unsynchronized
        if let coverage = summary.shards, !coverage.isComplete, !allowPartial {
            let missing = coverage.missing
            let list = missing.prefix(10).map(String.init).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            throw Problem(description: "shard\(missing.count == 1 ? "" : "s") \(list) of \(coverage.count) "
                + "missing (--partial merges the others, and the report says so)")
        }
        self.summary = summary
        configuration = first.configuration
        paced = first.pacing != nil
    }

    /// How far apart the reports' shards started on the wall clock, from the earliest start to
    /// the latest (a merged report's own shards started over a span of their own), with the names
    /// of the reports that hold the two.
    static func startsApart(_ reports: [(name: String, report: JSONReport)]) -> (Duration, earliest: String, latest: String) {
        guard var earliest = reports.first, var latest = reports.first else { return (.zero, "", "") }
        func lastStart(_ report: JSONReport) -> Int64 {
            let (span, tooLong) = Swift.max(0, report.shard?.startsApartUs ?? 0).multipliedReportingOverflow(by: 1000)
            let (sum, overflow) = report.startUnixNs.addingReportingOverflow(span)
            return tooLong || overflow ? .max : sum
        }
        for entry in reports.dropFirst() {
            if entry.report.startUnixNs < earliest.report.startUnixNs { earliest = entry }
            if lastStart(entry.report) > lastStart(latest.report) { latest = entry }
        }
        let (apart, overflow) = lastStart(latest.report).subtractingReportingOverflow(earliest.report.startUnixNs)
        return (overflow ? .nanoseconds(Int64.max) : .nanoseconds(Swift.max(0, apart)), earliest.name, latest.name)
    }

    /// The merged report, judged by `verdict`.
    public func report(verdict: Verdict? = nil) -> JSONReport {
        JSONReport(summary, configuration: configuration, paced: paced, verdict: verdict)
    }
}
