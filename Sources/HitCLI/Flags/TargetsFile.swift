import FoundationEssentials
import Hit

/// A `-f` targets file: one target per line, `URL` or `METHOD URL`; blank lines and lines
/// starting with `#` are skipped.
enum TargetsFile {
    /// The (method, URL) pairs of the file at `path`; `nil` methods take the command line's.
    /// `-` reads standard input; CRLF line ends are line ends.
    static func read(_ path: String, files: inout Readable) throws(UsageError) -> [(method: String?, url: String)] {
        let lines = try files.lines(path, flag: "-f")
        var targets: [(method: String?, url: String)] = []
        for (number, line) in lines.enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            switch words.count {
            case 1: targets.append((nil, String(words[0])))
            case 2 where Request.isValid(method: String(words[0])): targets.append((String(words[0]), String(words[1])))
            default: throw UsageError("-f '\(path)' line \(number + 1): expected 'URL' or 'METHOD URL', got '\(Redaction.text(trimmed))'")
            }
        }
        guard !targets.isEmpty else { throw UsageError("-f '\(path)' has no targets") }
        return targets
    }
}
