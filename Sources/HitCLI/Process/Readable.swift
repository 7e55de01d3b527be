import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit

/// Files the user names for reading: targets, bodies, headers, certificates. `-` is standard
/// input; pipes, FIFOs and `<(...)` work as files do.
struct Readable {
    let raw: RawArguments
    /// Whether standard input has been taken already: it can be read once.
    private var stdinTaken = false

    init(raw: RawArguments) {
        self.raw = raw
    }

    /// The whole content of `path` (or of standard input for `-`), read once into a body.
    mutating func body(_ path: String, flag: String, limit: Int = 1 << 32) throws(UsageError) -> Body {
        let name = path == "-" ? "standard input" : "'\(UsageError.escaped(path))'"
        // A flag's file says which flag; a command's own argument (`hit merge FILE`) needs no name.
        let reader = flag.isEmpty ? "" : flag + " "
        do {
            if path == "-" {
                guard !stdinTaken else { throw UsageError("\(flag.isEmpty ? "" : flag + " ")-: standard input is already read by another flag") }
                stdinTaken = true
                return try Body(reading: STDIN_FILENO, limit: limit)
            }
            let fd = raw.withPath(path) { open($0, O_RDONLY | O_CLOEXEC) }
            guard fd >= 0 else { throw UsageError("\(reader)cannot read \(name): \(Self.reason(errno))") }
            defer { close(fd) }
            return try Body(reading: fd, limit: limit)
        } catch let error as Body.ReadError {
            throw UsageError("\(reader)cannot read \(name): \(error.reason)")
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("\(reader)cannot read \(name): \(error)")
        }
    }

    /// The lines of a text file: LF or CRLF line ends, each line decoded as UTF-8.
    mutating func lines(_ path: String, flag: String) throws(UsageError) -> [String] {
        let content = try body(path, flag: flag, limit: 1 << 30).content
        return content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
    }

    /// A short reason for an errno.
    static func reason(_ code: Int32) -> String {
        code == ENOENT ? "no such file" : String(cString: strerror(code))
    }

    /// Checks that a file exists and can be read; returns a usage error naming the flag if not.
    static func check(_ path: String, flag: String) throws(UsageError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw UsageError("\(flag) '\(UsageError.escaped(path))': no such file")
        }
        guard status.st_mode & S_IFMT != S_IFDIR, access(path, R_OK) == 0 else {
            throw UsageError("\(flag) '\(UsageError.escaped(path))': not a readable file")
        }
    }

    /// Checks that a PEM file holds what it must: "CERTIFICATE", "PRIVATE KEY".
    static func check(_ path: String, flag: String, holds what: String) throws(UsageError) {
        try check(path, flag: flag)
        guard let data = FileManager.default.contents(atPath: path), data.count < 64 << 20,
              case let text = String(decoding: data, as: UTF8.self), text.contains("-----BEGIN"), text.contains(what + "-----")
        else {
            throw UsageError("\(flag) '\(UsageError.escaped(path))' holds no PEM \(what.lowercased())")
        }
    }
}
