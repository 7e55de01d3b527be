/// A text with `{{...}}` placeholders (a URL, a header value, a body), read once before a run and
/// filled for each request.
///
/// Placeholders name a built-in value or a field (a feed's column):
/// - `{{seq}}`: the request's index in the whole run, from 0 (across shards, the global index);
/// - `{{uuid}}`: a version-4 UUID;
/// - `{{rand:A:B}}`: a whole number from A to B, both included;
/// - `{{now}}`: the time of rendering, in Unix milliseconds;
/// - `{{name}}`: the field `name` of the request's row.
///
/// Each may be followed by filters, applied left to right, as curl's `--variable` has them:
/// `{{name:trim:url}}`, `{{seq:b64}}`. Random values (`uuid`, `rand`) come from the request's index
/// and the run's seed alone, so a seeded run renders the same requests on every machine and in
/// every order of sending.
public struct Template: Sendable, Equatable {
    /// The text in order: literal runs and placeholders.
    public let parts: [Part]

    public enum Part: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
    }

    public struct Placeholder: Sendable, Equatable {
        public let value: Value
        public let filters: [Filter]
        /// The placeholder as written, without its braces.
        public let text: String
    }

    /// What a placeholder stands for.
    public enum Value: Sendable, Equatable {
        case sequence
        case uuid
        case random(ClosedRange<Int64>)
        case now
        case field(String)
    }

    /// A transformation of a placeholder's value, as curl 8.3's `--variable` functions.
    public enum Filter: String, Sendable, Equatable, CaseIterable {
        /// Percent-encoding of everything but RFC 3986's unreserved characters.
        case url
        /// The contents of a JSON string: quotes, backslashes and control characters escaped.
        case json
        /// Base64 (RFC 4648, with padding) of the value's UTF-8 bytes.
        case b64
        /// Leading and trailing white space removed.
        case trim
    }

    /// Whether it has no placeholder: its text is sent as it is.
    public var isConstant: Bool {
        parts.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// Whether a placeholder reads the clock (`{{now}}`).
    public var readsClock: Bool {
        parts.contains { if case .placeholder(let placeholder) = $0, placeholder.value == .now { true } else { false } }
    }

    /// The fields (feed columns) its placeholders name.
    public var fields: Set<String> {
        Set(parts.compactMap { part in
            if case .placeholder(let placeholder) = part, case .field(let name) = placeholder.value { name } else { nil }
        })
    }

    /// The text for one request: `index` is its index in the whole run, `row` its feed row's
    /// values by field, `seed` the run's seed, `now` the Unix time in milliseconds.
    public func render(index: Int, row: [String: String] = [:], seed: UInt64 = 0, now: Int64 = 0) -> String {
        render(index: index, seed: seed, now: now) { row[$0] }
    }

    /// The text for one request, its fields looked up by `field` (a feed row's, without a
    /// dictionary made for each request).
    func render(index: Int, seed: UInt64, now: Int64, field: (String) -> String?) -> String {
        if parts.count == 1, case .literal(let literal) = parts[0] { return literal }
        var text = ""
        text.reserveCapacity(estimatedLength)
        var random = TemplateRandom(seed: seed, index: index)
        for part in parts {
            switch part {
            case .literal(let literal):
                text += literal
            case .placeholder(let placeholder):
                var value: String
                switch placeholder.value {
                case .sequence: value = String(index)
                case .uuid: value = random.uuid()
                case .random(let range): value = String(random.next(in: range))
                case .now: value = String(now)
                case .field(let name): value = field(name) ?? ""
                }
                for filter in placeholder.filters { value = filter.apply(to: value) }
                text += value
            }
        }
        return text
    }

    /// The literal text's length plus 40 a placeholder: room for most renderings at once.
    private var estimatedLength: Int {
        parts.reduce(0) { total, part in
            if case .literal(let literal) = part { total + literal.utf8.count } else { total + 40 }
        }
    }
}
