import Foundation

/// A usage error: reported on one line, with a pointer to `--help`, and exit status 64.
struct UsageError: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    /// Prints the message to stderr and exits with status 64.
    static func exit(_ message: String) -> Never {
        FileHandle.standardError.write(Data("hit: \(message) (see 'hit --help')\n".utf8))
        Foundation.exit(ExitStatus.usage.rawValue)
    }
}
