extension Template {
    /// Why a text is not a template: the placeholder at fault, as written.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// A `{{` with no `}}` after it.
        case unterminated(String)
        /// `{{}}`, or a placeholder whose name is empty.
        case empty
        /// A name that is neither a built-in nor one of the fields.
        case unknown(name: String, placeholder: String)
        /// A filter that does not exist.
        case unknownFilter(name: String, placeholder: String)
        /// `rand` without two whole bounds, the first not above the second.
        case badRange(String)

        public var description: String {
            switch self {
            case .unterminated(let text): "'{{\(text)' has no closing }}"
            case .empty: "'{{}}' names nothing"
            case .unknown(let name, let placeholder):
                "'{{\(placeholder)}}': no value is named '\(name)' (the built-ins are seq, uuid, rand:A:B and now; the others come from a feed's columns)"
            case .unknownFilter(let name, let placeholder):
                "'{{\(placeholder)}}': no filter is named '\(name)' (the filters are "
                    + Filter.allCases.map(\.rawValue).joined(separator: ", ") + ")"
            case .badRange(let placeholder): "'{{\(placeholder)}}' is not rand:A:B with whole numbers A ≤ B"
            }
        }
    }

    /// Reads `text`'s placeholders; `fields` are the names a feed gives (any other name is refused).
    public init(parsing text: String, fields: Set<String> = []) throws(Problem) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            if open.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<open.lowerBound]))) }
            let inside = rest[open.upperBound...]
            guard let close = inside.firstRange(of: "}}") else { throw .unterminated(String(inside.prefix(40))) }
            parts.append(.placeholder(try Self.placeholder(String(inside[..<close.lowerBound]), fields: fields)))
            rest = inside[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    /// One placeholder, its braces removed: `NAME[:ARG...][:FILTER...]`.
    static func placeholder(_ text: String, fields: Set<String>) throws(Problem) -> Placeholder {
        var words = text.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        let name = words.removeFirst()
        guard !name.isEmpty else { throw .empty }
        let value: Value
        switch name {
        case "seq": value = .sequence
        case "uuid": value = .uuid
        case "now": value = .now
        case "rand":
            guard words.count >= 2, let low = Int64(words[0]), let high = Int64(words[1]), low <= high else { throw .badRange(text) }
            words.removeFirst(2)
            value = .random(low...high)
        case _ where fields.contains(name): value = .field(name)
        default: throw .unknown(name: name, placeholder: text)
        }
        var filters: [Filter] = []
        for word in words {
            guard let filter = Filter(rawValue: word) else { throw .unknownFilter(name: word, placeholder: text) }
            filters.append(filter)
        }
        return Placeholder(value: value, filters: filters, text: text)
    }
}
