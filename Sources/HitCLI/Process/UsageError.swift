/// A usage error: reported on one line, with a pointer to `--help`, and exit status 64.
struct UsageError: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    /// The line hit prints on stderr for it.
    var line: String { "hit: \(message) (see 'hit --help')\n" }
}
