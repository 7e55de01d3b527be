#if canImport(Glibc)
import Glibc
#endif
import Hit

/// An open descriptor that hit writes messages to: its standard output and error, or a file a
/// test reads back.
struct TextStream: Sendable {
    let descriptor: Int32

    static let standardOutput = TextStream(descriptor: STDOUT_FILENO)
    static let standardError = TextStream(descriptor: STDERR_FILENO)

    /// Writes all of `text`. A message that cannot be written has nowhere else to go, so a
    /// failure is not reported; reports go through `OutputFile`, which does report it.
    func write(_ text: String) {
        _ = writeAll(text.utf8, to: descriptor)
    }
}
