import FoundationEssentials

/// A capacity search's JSON document read from elsewhere (`hit report`): hostile input until it
/// has been checked here, as a run's report is (`JSONReport.decode(untrusted:)`): its structure
/// before it is decoded, then every number against what a search can produce, so that its text
/// and HTML pages can be drawn without a trap, a hang or memory out of proportion to the file.
extension SearchReport.Document {
    /// The most steps a document may hold: a search takes a few dozen.
    public static let maximumSteps = 10_000
    /// The longest text a document may carry (a reason, a rule, what the search keeps).
    public static let maximumText = 10_000

    /// Whether `bytes` hold a capacity search's document rather than a run's report: its
    /// top-level object has a `findMax` key. Reads nothing else.
    public static func isSearch(_ bytes: some Collection<UInt8>) -> Bool {
        (try? JSONDecoder().decode(Probe.self, from: Data(bytes)))?.isSearch ?? false
    }

    private struct Probe: Decodable {
        let isSearch: Bool
        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            isSearch = try decoder.container(keyedBy: Key.self).contains(Key(stringValue: "findMax"))
        }
    }

    /// Reads an untrusted document: its structure, the decoding, the schema version and every
    /// field. Throws `JSONReport.Invalid` for a document beyond bounds, and the decoder's error
    /// for one that is not a search's document at all.
    public static func decode(untrusted bytes: some Collection<UInt8>) throws -> SearchReport.Document {
        let bytes = Array(bytes)
        try JSONReport.checkStructure(bytes)
        let document = try decode(bytes)
        guard document.version == JSONReport.schemaVersion else {
            throw JSONReport.Invalid("it is a version \(document.version) document; this hit reads version \(JSONReport.schemaVersion)")
        }
        try document.validate()
        return document
    }

    /// Checks every field against what a search can produce.
    public func validate() throws(JSONReport.Invalid) {
        let check = ReportBounds()
        guard findMax.steps.count <= Self.maximumSteps else {
            throw .init("findMax.steps holds \(findMax.steps.count) steps, more than \(Self.maximumSteps)")
        }
        for (name, text) in [("keeps", findMax.keeps), ("reason", findMax.reason)] + findMax.rules.map({ ("rules", $0) }) {
            guard text.utf8.count <= Self.maximumText else { throw .init("findMax.\(name) is longer than \(Self.maximumText) bytes") }
        }
        for rule in findMax.rules {
            guard (try? Threshold.parseList(rule)) != nil else { throw .init("findMax.rules holds a rule hit does not read") }
        }
        try check.rate(findMax.maximumRate, "findMax.maximumRate")
        for (index, step) in findMax.steps.enumerated() {
            let path = "findMax.steps[\(index)]"
            try check.rate(step.askedRate, path + ".askedRate")
            try check.rate(step.sentRate, path + ".sentRate")
            try check.rate(step.completedRate, path + ".completedRate")
            try check.rate(step.cpuPercent, path + ".cpuPercent")
            try check.count(step.inFlightAtStart, path + ".inFlightAtStart")
            try check.count(step.inFlightAtEnd, path + ".inFlightAtEnd")
            guard (0...Options.maximumConcurrency).contains(step.workers) else {
                throw .init("\(path).workers is \(step.workers), not from 0 to \(Options.maximumConcurrency)")
            }
            try check.latencyTime(step.p50Us, path + ".p50Us")
            try check.latencyTime(step.p99Us, path + ".p99Us")
            guard step.errorsPercent.isFinite, (0...100).contains(step.errorsPercent) else {
                throw .init("\(path).errorsPercent is \(step.errorsPercent), not a percentage")
            }
            if let limit = step.limit, CapacitySearch.Limit(rawValue: limit) == nil {
                throw .init("\(path).limit is neither 'workers' nor 'cpu'")
            }
            guard step.failedRules.count <= 1_000, step.failedRules.allSatisfy({ $0.utf8.count <= Self.maximumText }) else {
                throw .init("\(path).failedRules holds more than 1000 rules or one longer than \(Self.maximumText) bytes")
            }
        }
        try configuration?.validate(check)
    }

    /// The document with its configuration's secrets redacted again (see `JSONReport.redacted()`).
    public func redacted() -> SearchReport.Document {
        var document = self
        document.configuration = configuration?.redacted()
        return document
    }

    /// The document as `-o json` writes it.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The text a search prints: the header, a row a step, the conclusion.
    public var text: String {
        let outcome = outcome
        return ([SearchReport.header(rules: rules)] + outcome.steps.map(SearchReport.row) + [SearchReport.conclusion(outcome)])
            .joined(separator: "\n")
    }
}
