import FoundationEssentials
import Hit

/// A `-f` targets file, in one of two formats, told apart by its first target line:
///
/// - Plain text: one target per line, `URL` or `METHOD URL`.
/// - JSON lines, when the first target line starts with `{`: one object per line,
///   `{"name": "login", "method": "POST", "url": "...", "headers": {"Name": "value"},
///   "body": "...", "weight": 3}`, every key but `url` optional. `header` (vegeta's spelling, with
///   lists of values) is read as `headers`; `body` is text, where vegeta's is base64.
///
/// In both, blank lines and lines starting with `#` are skipped, and CRLF line ends are line ends.
enum TargetsFile {
    /// One target as the file gives it; what it leaves out comes from the command line.
    struct Entry: Equatable {
        var url: String
        var method: String?
        var name: String?
        var headers: [String] = []
        var body: String?
        var weight = 1
    }

    /// The targets of the file at `path` (`-` reads standard input).
    static func read(_ path: String, files: inout Readable) throws(UsageError) -> [Entry] {
        let lines = try files.lines(path, flag: "-f")
        var entries: [Entry] = []
        var json: Bool?
        for (number, line) in lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let where_ = "-f '\(path)' line \(number + 1)"
            if json == nil { json = trimmed.hasPrefix("{") }
            if json == true {
                entries.append(try entry(json: trimmed, at: where_))
                continue
            }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            switch words.count {
            case 1: entries.append(Entry(url: String(words[0])))
            case 2 where Request.isValid(method: String(words[0])): entries.append(Entry(url: String(words[1]), method: String(words[0])))
            default: throw UsageError("\(where_): expected 'URL' or 'METHOD URL', got '\(Redaction.text(trimmed))'")
            }
        }
        guard !entries.isEmpty else { throw UsageError("-f '\(path)' has no targets") }
        var seen: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            guard let name = entry.name else { continue }
            if let first = seen[name] {
                throw UsageError("-f '\(path)': targets \(first + 1) and \(index + 1) are both named '\(name)': names tell targets apart")
            }
            seen[name] = index
        }
        return entries
    }

    /// One JSON line's target.
    private static func entry(json line: String, at place: String) throws(UsageError) -> Entry {
        let object: [String: JSONLineValue]
        do {
            object = try JSONDecoder().decode([String: JSONLineValue].self, from: Data(line.utf8))
        } catch {
            throw UsageError("\(place): not a JSON object of a target ('url', and optionally 'name', 'method', "
                + "'headers', 'body', 'weight')")
        }
        let known = ["url", "name", "method", "headers", "header", "body", "weight"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw UsageError("\(place): unknown key '\(Redaction.text(unknown))': a target has \(known.joined(separator: ", "))")
        }
        func text(_ key: String) throws(UsageError) -> String? {
            switch object[key] {
            case nil, .null: return nil
            case .string(let value): return value
            default: throw UsageError("\(place): '\(key)' must be a string")
            }
        }
        guard let url = try text("url") else { throw UsageError("\(place): the target has no 'url'") }
        var entry = Entry(url: url, method: try text("method"), name: try text("name"), body: try text("body"))
        if let method = entry.method, !Request.isValid(method: method) {
            throw UsageError("\(place): method '\(Redaction.text(method))' is not an HTTP method token")
        }
        if let name = entry.name {
            do {
                try Request.validate(name: name)
            } catch {
                throw UsageError("\(place): \(error)")
            }
        }
        switch object["weight"] {
        case nil, .null: break
        case .number(let weight) where weight >= 1 && weight <= Double(TargetMix.maximumCycle) && weight == weight.rounded():
            entry.weight = Int(weight)
        default: throw UsageError("\(place): 'weight' must be a whole number from 1 to \(TargetMix.maximumCycle)")
        }
        entry.headers = try headers(of: object, at: place)
        return entry
    }

    /// A JSON line's header lines, from `headers` (or vegeta's `header`): each name's value or values.
    private static func headers(of object: [String: JSONLineValue], at place: String) throws(UsageError) -> [String] {
        guard object["headers"] == nil || object["header"] == nil else {
            throw UsageError("\(place): give the headers as 'headers' or as 'header', not both")
        }
        var lines: [String] = []
        switch object["headers"] ?? object["header"] {
        case nil, .null: break
        case .object(let headers):
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
                let values: [String]
                switch value {
                case .string(let one): values = [one]
                case .strings(let many): values = many
                default: throw UsageError("\(place): the header '\(Redaction.text(name))' must be a string or a list of strings")
                }
                for value in values {
                    let line = value.isEmpty ? "\(name):" : "\(name): \(value)"
                    do {
                        try Request.validate(header: line)
                    } catch {
                        throw UsageError("\(place): \(error)")
                    }
                    lines.append(line)
                }
            }
        default: throw UsageError("\(place): 'headers' must be an object of header names and values")
        }
        return lines
    }

    /// The values a target's line may hold.
    private enum JSONLineValue: Decodable {
        case null
        case string(String)
        case strings([String])
        case number(Double)
        case object([String: JSONLineValue])
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let string = try? container.decode(String.self) {
                self = .string(string)
            } else if let strings = try? container.decode([String].self) {
                self = .strings(strings)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let object = try? container.decode([String: JSONLineValue].self) {
                self = .object(object)
            } else {
                self = .other
            }
        }
    }
}
