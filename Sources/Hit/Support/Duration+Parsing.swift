extension Duration {
    /// Parses a duration the way Go's `time.ParseDuration` does: a sequence of numbers, each with
    /// a unit, such as `500ms`, `10s`, `1m30s`, `1.5h`, `250us` (or `250µs`), `100ns`.
    /// A number without a unit is refused, except zero. `units`, when given, are the only units
    /// accepted (a `--fail-if` latency takes us, µs, ms and s).
    public init?(parsing text: String, units: Set<Substring>? = nil) {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        if rest == "0" {
            self = .zero
            return
        }
        var seconds = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(decimal: number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            rest = rest.dropFirst(unit.count)
            if let units, !units.contains(unit) { return nil }
            let scale: Double
            switch unit {
            case "ns": scale = 1e-9
            case "us", "µs", "μs": scale = 1e-6
            case "ms": scale = 1e-3
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            default: return nil
            }
            seconds += value * scale
        }
        guard seconds.isFinite, seconds < 1e9 else { return nil }
        self = .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// Parses a number of seconds (`20`, `1.5`) or, with a unit, a duration (`500ms`).
    public init?(seconds text: String) {
        if let seconds = Double(decimal: text) {
            guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return nil }
            self = .nanoseconds(Int64((seconds * 1e9).rounded()))
        } else {
            self.init(parsing: text)
        }
    }
}
