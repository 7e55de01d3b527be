import Foundation
import Hit

/// A `-f` targets file: one target per line, `URL` or `METHOD URL`; blank lines and lines
/// starting with `#` are skipped.
enum TargetsFile {
    /// The (method, URL) pairs of the file at `path`; `nil` methods take the command line's.
    static func read(_ path: String) throws(UsageError) -> [(method: String?, url: String)] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw UsageError("-f cannot read '\(path)': \(Readable.reason(error))")
        }
        var targets: [(method: String?, url: String)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            switch words.count {
            case 1: targets.append((nil, String(words[0])))
            case 2 where Request.isValid(method: String(words[0])): targets.append((String(words[0]), String(words[1])))
            default: throw UsageError("-f '\(path)' line \(number + 1): expected 'URL' or 'METHOD URL', got '\(Redaction.url(trimmed))'")
            }
        }
        guard !targets.isEmpty else { throw UsageError("-f '\(path)' has no targets") }
        return targets
    }
}
