import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit
import Synchronization

/// Where a report goes: stdout, or a file the user named, opened as a shell redirection (`>`)
/// opens it. An existing file is truncated and written into, never replaced: devices, FIFOs,
/// `/dev/stdout` and symlinks keep working, and the file keeps its permissions and owner.
///
/// Every write checks its outcome; the first failure is kept, so that hit can say so and exit 74
/// instead of losing a report in silence.
final class OutputFile: Sendable {
    /// How the file is named in messages: `stdout`, or `--output-file 'path'`.
    let name: String
    let descriptor: Int32
    /// Whether this is hit's own standard output, whose reader may go away (`hit | head -1`).
    let isStandardOutput: Bool
    private let ownsDescriptor: Bool
    /// errno of the first write that failed; 0 while every write has succeeded.
    private let firstFailure = Atomic<Int32>(0)

    init(standardOutput descriptor: Int32) {
        name = "stdout"
        self.descriptor = descriptor
        isStandardOutput = true
        ownsDescriptor = false
    }

    /// Opens `path` for writing, creating it (mode 0666 less the umask) if needed. `raw` gives
    /// the path's bytes as the user typed them, when they are not UTF-8.
    init(path: String, flag: String, raw: RawArguments = RawArguments([])) throws(UsageError) {
        let fd = raw.withPath(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666) }
        guard fd >= 0 else {
            throw UsageError("\(flag) '\(UsageError.escaped(path))' cannot be written: \(String(cString: strerror(errno)))")
        }
        name = "\(flag) '\(path)'"
        descriptor = fd
        isStandardOutput = false
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Writes all of `data`; returns `false`, and keeps the reason, if it could not.
    @discardableResult
    func write(_ bytes: some Collection<UInt8>) -> Bool {
        guard firstFailure.load(ordering: .relaxed) == 0 else { return false }
        let failure = writeAll(bytes, to: descriptor)
        guard failure == 0 else {
            firstFailure.store(failure, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    func write(_ text: String) -> Bool {
        write(text.utf8)
    }

    /// errno of the first write that failed, if one did.
    var failure: Int32? {
        let code = firstFailure.load(ordering: .relaxed)
        return code == 0 ? nil : code
    }

    /// Whether the first failure was the reader of stdout going away, which ends hit quietly, as
    /// it ends `yes | head -1`.
    var readerWentAway: Bool {
        isStandardOutput && failure == EPIPE
    }

    /// One line for stderr about the failure, if there was one worth reporting.
    var failureLine: String? {
        guard let failure, !readerWentAway else { return nil }
        return "hit: cannot write to \(name): \(String(cString: strerror(failure)))\n"
    }
}
