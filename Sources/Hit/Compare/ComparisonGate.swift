/// What `hit compare` gates, and with what margin: `p99:+5%` (the new run's p99 may be up to 5%
/// above the base's), `p50:+3%`, `errors:+0.1pp` (the error rate up to 0.1 percentage points
/// above), `rps:-5%` (throughput down to 5% below). A change within the margin is no regression;
/// the decision is against the margin, never against zero.
public struct ComparisonGate: Sendable, Equatable, CustomStringConvertible {
    public enum Metric: Sendable, Equatable, Hashable {
        /// A latency percentile, 0 < p < 100 (p50, p99, p99.9); compared as the ratio new ÷ base.
        case percentile(Double)
        /// The share of completed requests that failed; compared as the difference new − base.
        case errors
        /// Completed requests per second; compared as the ratio new ÷ base, and worse when lower.
        case rps

        public var name: String {
            switch self {
            case .percentile(let p): Formatting.percentileLabel(p)
            case .errors: "errors"
            case .rps: "rps"
            }
        }
    }

    public let metric: Metric
    /// How far the metric may move in its worse direction and still count as unchanged: a
    /// fraction of the base (0.05 for 5%) for percentiles and rps, a share (0.001 for 0.1
    /// percentage points) for errors.
    public let margin: Double

    public init(_ metric: Metric, margin: Double) {
        self.metric = metric
        self.margin = margin
    }

    /// Without `--gate`: p50 within 5%, p99 within 10%, errors within 1 percentage point. The
    /// margins are wider than the run-to-run spread of a stable service measured over runs of a
    /// minute on loopback (see the README), so two such runs come out equivalent.
    public static let defaults = [
        ComparisonGate(.percentile(50), margin: 0.05), ComparisonGate(.percentile(99), margin: 0.10),
        ComparisonGate(.errors, margin: 0.01),
    ]

    /// As written: `p99:+5%`.
    public var description: String {
        switch metric {
        case .percentile, .rps:
            metric.name + ":" + (metric == .rps ? "-" : "+") + Formatting.trimmedNumber(margin * 100) + "%"
        case .errors:
            metric.name + ":+" + Formatting.trimmedNumber(margin * 100) + "pp"
        }
    }

    /// Why a gate's text is not one.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Reads `METRIC:+X%` (`pN`), `errors:+Xpp` or `rps:-X%`.
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw Problem(description: "'\(text)' is not METRIC:MARGIN, e.g. p99:+5%, errors:+0.1pp or rps:-5%")
        }
        let name = parts[0].lowercased(), margin = parts[1]
        let metric: Metric
        if name == "errors" {
            metric = .errors
        } else if name == "rps" {
            metric = .rps
        } else if name.hasPrefix("p"), let p = Double(decimal: String(name.dropFirst())), p > 0, p < 100 {
            metric = .percentile(p)
        } else {
            throw Problem(description: "'\(parts[0])' in '\(text)' is not a metric: pN (p50, p99, p99.9), errors or rps")
        }
        let sign: Character = metric == .rps ? "-" : "+"
        let unit = metric == .errors ? "pp" : "%"
        guard margin.first == sign, margin.hasSuffix(unit),
              let number = Double(decimal: String(margin.dropFirst().dropLast(unit.count))), number.isFinite, number >= 0
        else {
            let example = metric == .errors ? "errors:+0.1pp" : metric == .rps ? "rps:-5%" : "\(name):+5%"
            throw Problem(description: "'\(text)': the margin of \(metric.name) is written \(sign)X\(unit), e.g. \(example) "
                + "(how far it may move the worse way, \(metric == .rps ? "down" : "up"), and still pass)")
        }
        guard metric == .errors ? number <= 100 : number < 1000 else {
            throw Problem(description: "'\(text)': a margin of \(margin) is more than a comparison can mean")
        }
        self.init(metric, margin: number / 100)
    }
}
