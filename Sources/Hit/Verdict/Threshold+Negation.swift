extension Threshold {
    /// What a run must keep for the rule to pass, as a person reads it: the rule's failure
    /// condition negated. `p99>150ms` keeps "p99 ≤ 150ms", `rps<500` keeps "rps ≥ 500",
    /// `errors>0` keeps "errors = 0".
    public var kept: String {
        guard let operatorStart = text.firstIndex(where: { "<>=!".contains($0) }) else { return text }
        let metric = text[..<operatorStart]
        let value = text[operatorStart...].dropFirst(comparison.rawValue.count)
        let negated: String
        switch comparison {
        case .greater:
            // Nothing above zero is none at all.
            switch self.value {
            case .count(0), .percent(0): negated = "="
            default: negated = "≤"
            }
        case .greaterOrEqual: negated = "<"
        case .less: negated = "≥"
        case .lessOrEqual: negated = ">"
        case .equal: negated = "≠"
        case .notEqual: negated = "="
        }
        return "\(metric) \(negated) \(value)"
    }

    /// What `rules` keep, joined: "p99 ≤ 150ms and errors ≤ 1%".
    public static func kept(_ rules: [Threshold]) -> String {
        let parts = rules.map(\.kept)
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }
}
