import Foundation

/// The human-readable report of a run, in the layout of the Go original's summary,
/// followed by status codes, errors by kind, and what an interruption left undone.
public struct TextReport: CustomStringConvertible, Sendable {
    public let summary: Summary
    /// How to name each target in the per-target breakdown, e.g. "GET http://host/path".
    public let targets: [String]

    public init(_ summary: Summary, targets: [String] = []) {
        self.summary = summary
        self.targets = targets
    }

    public var description: String {
        let s = summary
        var lines = [s.interrupted ? "Summary (interrupted):" : "Summary:"]
        func row(_ label: String, _ value: String) {
            lines.append("  " + (label + ":").padding(toLength: 12, withPad: " ", startingAt: 0) + value)
        }
        row("Success", Self.percent(s.successPercent))
        row("RPS", String(format: "%.1f", s.requestsPerSecond))
        row("Requests", s.interrupted ? "\(s.completed) of \(s.requested.map(String.init) ?? "unlimited")" : "\(s.completed)")
        row("Errors", "\(s.unsuccessful)")
        row("Bytes", "\(s.bytes)")
        row("Duration", Self.format(s.duration) + (s.deadlineReached ? " (-z deadline reached)" : ""))
        row("Fastest", s.fastest.map(Self.format) ?? "-")
        row("Slowest", s.slowest.map(Self.format) ?? "-")
        row("Mean", s.meanLatency.map(Self.format) ?? "-")

        if !s.statusCounts.isEmpty {
            lines.append("")
            lines.append("Status codes:")
            for (status, count) in s.statusCounts.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(status)  \(count)")
            }
        }
        if !s.httpVersions.isEmpty {
            lines.append("")
            lines.append("HTTP versions:")
            for (version, count) in s.httpVersions.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(version.rawValue)  \(count)")
            }
        }
        if !s.errorCounts.isEmpty {
            lines.append("")
            lines.append("Transport errors:")
            for (kind, tally) in s.errorCounts.sorted(by: { $0.key < $1.key }) {
                lines.append("  " + kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + "\(tally.count)  (e.g. \(tally.example))")
            }
        }
        if targets.count > 1 {
            lines.append("")
            lines.append("Targets:")
            for (index, tally) in s.perTarget.enumerated() where index < targets.count {
                let mean = tally.meanLatency.map(Self.format) ?? "-"
                lines.append("  \(targets[index])  requests \(tally.completed), succeeded \(tally.succeeded), "
                    + "failed \(tally.failed), errors \(tally.errored), mean \(mean)")
            }
        }
        if s.interrupted {
            lines.append("")
            let never = s.neverStarted.map { ", \($0) never started" } ?? ""
            lines.append("Interrupted: \(s.completed) of \(s.requested.map(String.init) ?? "unlimited") requests completed, "
                + "\(s.abandoned) in flight were aborted\(never).")
        } else if s.deadlineReached && s.abandoned > 0 {
            lines.append("")
            lines.append("At the deadline \(s.abandoned) requests in flight were aborted; they are not counted above.")
        }
        return lines.joined(separator: "\n")
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(format: "%.0f%%", value) : String(format: "%.2f%%", value)
    }

    /// A duration in the unit that reads best: 850µs, 12.3ms, 2.05s.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        switch seconds {
        case ..<0.001: return String(format: "%.0fµs", seconds * 1e6)
        case ..<0.01: return String(format: "%.2fms", seconds * 1e3)
        case ..<1: return String(format: "%.1fms", seconds * 1e3)
        case ..<60: return String(format: "%.2fs", seconds)
        default:
            let whole = Int(seconds)
            return String(format: "%dm%02ds", whole / 60, whole % 60)
        }
    }
}
