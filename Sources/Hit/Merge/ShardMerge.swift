/// The shards of one run (`--shard I/N`), merged into the run's report: counters and histograms
/// added exactly, timelines aligned on the wall clock (`hit merge`).
///
/// It refuses reports that are not shards, shards of different runs (their configuration digests
/// differ), a shard given twice, and an incomplete set unless `allowPartial`; the summary of a
/// partial merge says which shards it lacks. A merged report may itself be merged with the rest.
public struct ShardMerge: Sendable {
    /// The merged run.
    public let summary: Summary
    /// The whole run's configuration (every shard carries it).
    public let configuration: JSONReport.Configuration
    /// Whether the run was paced (`-rps`, `--stages`).
    public let paced: Bool

    /// Why reports cannot be merged.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Merges `reports`, each with the name to call it by (its file).
    public init(_ reports: [(name: String, report: JSONReport)], allowPartial: Bool = false) throws(Problem) {
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
        var summary = summaries[0]
        for other in summaries.dropFirst() { summary.merge(other) }
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

    /// The merged report, judged by `verdict`.
    public func report(verdict: Verdict? = nil) -> JSONReport {
        JSONReport(summary, configuration: configuration, paced: paced, verdict: verdict)
    }
}
