extension Threshold {
    /// The units a latency rule takes.
    static let latencyUnits: Set<Substring> = ["us", "µs", "ms", "s", "m", "h"]

    /// Reads one rule, `METRIC OP VALUE`; whitespace anywhere is ignored.
    public init(parsing rule: String) throws(ParseError) {
        let text = rule.filter { !$0.isWhitespace }
        func fail(_ part: some StringProtocol, _ reason: String) -> ParseError {
            ParseError(rule: rule, part: String(part), reason: reason)
        }
        guard let operatorStart = text.firstIndex(where: { "<>=!".contains($0) }) else {
            throw fail(text, "has no comparison: use one of < <= > >= == !=")
        }
        let metricText = text[..<operatorStart]
        let rest = text[operatorStart...]
        guard let comparison = Comparison.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw fail(rest.prefix { "<>=!".contains($0) }, "is not a comparison: use one of < <= > >= == !=")
        }
        let valueText = rest.dropFirst(comparison.rawValue.count)
        guard !metricText.isEmpty else { throw fail(text, "has no metric before its comparison") }
        // Prefixes: a target's name, then a latency: `login:`, `corrected:`, `login:corrected:`.
        var prefixes = metricText.split(separator: ":", omittingEmptySubsequences: false)
        let metricName = prefixes.removeLast()
        var latency: Latency?
        var target: String?
        if let last = prefixes.last, let named = Latency(rawValue: String(last)) {
            latency = named
            prefixes.removeLast()
        }
        if let name = prefixes.first, prefixes.count == 1 {
            do {
                try Request.validate(name: String(name))
            } catch {
                throw fail(name, "is neither corrected: nor uncorrected: nor a target's name: \(error)")
            }
            target = String(name)
        } else if prefixes.count > 1 {
            throw fail(metricText, "has too many prefixes: at most a target's name, then corrected: or uncorrected:")
        }
        let metric = try Self.metric(metricName, fail: fail)
        if latency != nil, !metric.isLatency {
            throw fail(metricText, "names a latency, but only pN, min, mean and max are latencies")
        }
        if target != nil, !metric.isLatency, metric != .errors, metric != .rps {
            throw fail(metricName, "cannot judge one target: a target's rules take pN, min, mean, max, errors and rps")
        }

        let value = try Self.value(valueText, of: metric, in: text) { part, reason in fail(part, reason) }
        self.text = text
        self.metric = metric
        self.comparison = comparison
        self.value = value
        self.latency = latency
        self.target = target
    }

    /// The rule's value, `valueText`, read for `metric`: a duration, a count or a share.
    private static func value(_ valueText: Substring, of metric: Metric, in text: String,
                              fail: (String, String) -> ParseError) throws(ParseError) -> Value {
        let number = valueText.prefix { $0.isNumber || $0 == "." }
        let unit = valueText.dropFirst(number.count)
        guard !number.isEmpty, let amount = Double(decimal: number), amount.isFinite else {
            throw fail(valueText.isEmpty ? text : String(valueText), "is not a number with an optional unit (us, ms, s, %)")
        }
        switch (metric.isLatency, unit) {
        case (true, _):
            guard !unit.isEmpty, let duration = Duration(parsing: String(valueText), units: latencyUnits) else {
                throw fail(String(valueText), unit.isEmpty ? "needs a time unit: us, ms, s, m or h" : "is not a duration: use us, ms, s, m or h (1m30s)")
            }
            return .duration(duration)
        case (false, ""): return .count(amount)
        case (false, "%"):
            guard metric != .rps else { throw fail(String(valueText), "cannot be a share: rps is requests per second") }
            guard amount <= 100 else { throw fail(String(valueText), "is more than 100%") }
            return .percent(amount)
        case (false, _):
            throw fail(String(unit), metric == .rps ? "is not allowed: rps takes a plain number" : "is not a unit here: use a count, or a share with %")
        }
    }

    private static func metric(_ text: Substring, fail: (Substring, String) -> ParseError) throws(ParseError) -> Metric {
        switch text {
        case "min": return .min
        case "mean": return .mean
        case "max": return .max
        case "errors": return .errors
        case "timeouts": return .timeouts
        case "late": return .late
        case "rps": return .rps
        default: break
        }
        if text.hasPrefix("p"), let p = Double(decimal: text.dropFirst()), p > 0, p <= 100 {
            return .percentile(p)
        }
        if text.hasPrefix("status") {
            let code = text.dropFirst("status".count)
            if code.count == 3, let status = Int(code), (100...599).contains(status) { return .status(status) }
            if code.count == 3, code.hasSuffix("xx"), let digit = Int(code.prefix(1)), (1...5).contains(digit) {
                return .statusClass(digit)
            }
            throw fail(text, "is not a status metric: use statusNNN (e.g. status404) or statusNxx (e.g. status5xx)")
        }
        throw fail(text, "is not a metric: use pN (e.g. p99), min, mean, max, errors, timeouts, late, rps, statusNNN or statusNxx")
    }

    /// Refuses a rule on one target that no target of the run (named `names`, by index) answers:
    /// no target has its name, or that target keeps no latency of its own (it is one of many
    /// beyond `Summary.targetsWithLatency`, or the run's only target: judge the run instead).
    public static func check(_ rules: [Threshold], targets names: [String?]) throws(ParseError) {
        for rule in rules {
            guard let target = rule.target else { continue }
            guard let index = names.firstIndex(of: target) else {
                let known = names.compactMap { $0 }
                throw ParseError(rule: rule.text, part: target, reason: known.isEmpty
                    ? "names a target, but no target has a name (a targets file's JSON lines give them)"
                    : "is not a target's name: the targets are " + known.map { "'\($0)'" }.joined(separator: ", "))
            }
            guard Summary.keepsLatency(ofTarget: index, among: names.count) else {
                throw ParseError(rule: rule.text, part: target, reason: names.count == 1
                    ? "is the run's only target: write the rule without its name"
                    : "is target \(index + 1): only the first \(Summary.targetsWithLatency) targets keep figures of their own for rules")
            }
        }
    }

    /// Parses a `--fail-if` argument: one rule, or several separated by commas.
    public static func parseList(_ argument: String) throws(ParseError) -> [Threshold] {
        var rules: [Threshold] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.allSatisfy(\.isWhitespace) else {
                throw ParseError(rule: argument, part: String(part), reason: "is an empty rule")
            }
            rules.append(try Threshold(parsing: String(part)))
        }
        return rules
    }
}
