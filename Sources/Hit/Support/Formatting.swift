import FoundationEssentials

/// How durations, byte counts, shares and percentiles read in text: in reports, verdicts and the
/// progress line alike.
package enum Formatting {
    /// A share in percent: 100%, 99.50%.
    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(cFormat: "%.0f%%", value) : String(cFormat: "%.2f%%", value)
    }

    /// A number as short as it reads: 5, 0.1, 2.5.
    static func trimmedNumber(_ value: Double) -> String {
        String(cFormat: "%.6g", value)
    }

    /// p50, p99.9.
    static func percentileLabel(_ p: Double) -> String {
        p == p.rounded() ? "p\(Int(p))" : "p\(p)"
    }

    /// A duration in the unit that reads best: 850µs, 12.3ms, 2.05s, 1m05s.
    package static func duration(_ duration: Duration) -> String {
        let seconds = duration.seconds
        switch seconds {
        case ..<0.001: return String(cFormat: "%.0fµs", seconds * 1e6)
        case ..<0.01: return String(cFormat: "%.2fms", seconds * 1e3)
        case ..<1: return String(cFormat: "%.1fms", seconds * 1e3)
        case ..<60: return String(cFormat: "%.2fs", seconds)
        case 1e12...: return String(cFormat: "%.3gs", seconds)  // beyond any run, but never a trap
        default:
            let whole = Int(seconds)
            return String(cFormat: "%dm%02ds", whole / 60, whole % 60)
        }
    }

    /// A byte count in the unit that reads best: 512 B, 2.1 KiB, 3.4 MiB.
    package static func bytes(_ count: Double) -> String {
        switch count {
        case ..<1024: return String(cFormat: "%.0f B", count)
        case ..<(1024 * 1024): return String(cFormat: "%.1f KiB", count / 1024)
        case ..<(1024 * 1024 * 1024): return String(cFormat: "%.1f MiB", count / 1024 / 1024)
        default: return String(cFormat: "%.2f GiB", count / 1024 / 1024 / 1024)
        }
    }
}
