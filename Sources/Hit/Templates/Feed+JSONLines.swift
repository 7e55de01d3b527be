import FoundationEssentials

extension Feed {
    /// Reads JSON lines: one object a line, its values strings, numbers or booleans, the same keys
    /// on every line (the columns, in the keys' sorted order). Blank lines are skipped.
    public init(jsonLines data: some Collection<UInt8>) throws(Problem) {
        var builder = Builder(reserving: data.count)
        var lineNumber = 0
        var keys: Set<String> = []
        for line in Array(data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) else { continue }
            let object: [String: JSONScalar]
            do {
                object = try JSONDecoder().decode([String: JSONScalar].self, from: Data(line))
            } catch {
                throw Problem(line: lineNumber, reason: "not a JSON object of strings, numbers and booleans")
            }
            if builder.columns.isEmpty {
                guard !object.isEmpty else { throw Problem(line: lineNumber, reason: "the first object has no key") }
                builder.columns = object.keys.sorted()
                keys = Set(builder.columns)
                try Self.check(columns: builder.columns, line: lineNumber)
            } else if Set(object.keys) != keys {
                let missing = keys.subtracting(object.keys).sorted(), extra = Set(object.keys).subtracting(keys).sorted()
                throw Problem(line: lineNumber, reason: missing.isEmpty ? "the key '\(extra[0])' is not on the first line"
                                                                        : "the key '\(missing[0])' is missing")
            }
            for name in builder.columns { builder.append(Array(object[name]!.text.utf8)) }
        }
        guard !builder.columns.isEmpty else { throw Problem(line: 0, reason: "the feed is empty: it needs a JSON object a line") }
        self.init(builder)
    }
}

/// A JSON value a feed holds, as the text a template puts in its place.
struct JSONScalar: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            text = value ? "true" : "false"
        } else if let value = try? container.decode(Int64.self) {
            text = String(value)
        } else if let value = try? container.decode(Double.self) {
            text = value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        } else {
            text = try container.decode(String.self)
        }
    }
}
