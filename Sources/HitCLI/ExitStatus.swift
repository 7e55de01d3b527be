/// hit's exit statuses, documented in `--help` and the README.
enum ExitStatus: Int32 {
    /// Every request succeeded.
    case success = 0
    /// At least one request failed (status 400 or more) or did not complete.
    case failure = 1
    /// Bad flags or values; nothing was sent (swift-argument-parser's and BSD's EX_USAGE).
    case usage = 64
    /// libcurl could not be set up; nothing was sent (EX_SOFTWARE).
    case setup = 70
    /// Interrupted by SIGINT or SIGTERM; the partial report was printed (128 + SIGINT).
    case interrupted = 130

    static let table = """
        EXIT STATUS
          0    every request succeeded
          1    a request failed: status 400 or more, or a transport error
          64   usage error: a bad flag or value; nothing was sent
          70   libcurl could not be set up; nothing was sent
          130  interrupted (Ctrl-C or SIGTERM): the partial report was printed
        """
}
