import Hit

/// hit's exit statuses, documented in `--help` and the README.
enum ExitStatus: Int32 {
    /// The verdict passed.
    case success = 0
    /// The verdict failed: a `--fail-if` rule held, a request failed that no rule judges,
    /// nothing completed, or the first requests all failed certificate verification.
    case failure = 1
    /// `hit compare`: inconclusive, the runs too short or too noisy to tell at the margins asked.
    case inconclusive = 3
    /// Bad flags or values; nothing was sent (swift-argument-parser's and BSD's EX_USAGE).
    case usage = 64
    /// `hit compare`: the runs are not comparable, or a file is not a run's report of hit's (EX_DATAERR).
    case notComparable = 65
    /// Every request failed to connect: the target could not be reached at all (EX_UNAVAILABLE).
    case unreachable = 69
    /// A report could not be written (a full disk, an I/O error, a closed pipe for a file): said on
    /// stderr (EX_IOERR).
    case ioError = 74
    /// The run could not be set up (libcurl, the open-files limit); nothing was sent (EX_SOFTWARE).
    case setup = 70
    /// Interrupted by SIGINT or SIGTERM; the partial report was printed (128 + SIGINT).
    case interrupted = 130

    static let table = """
        EXIT STATUS
          0    passed: every request succeeded, or no --fail-if rule held and
               no request failed that a rule does not judge
          1    failed: a --fail-if rule held; or a request failed (status 400
               or more, or a transport error) and no rule judges errors or
               statuses; or nothing completed; or the first 10 requests all
               failed TLS certificate verification (the run stops then)
          64   usage error: a bad flag, value or rule; nothing was sent
          69   unreachable: every request failed to connect (refused, DNS)
          70   the run could not be set up (libcurl, open-files limit); nothing
               was sent
          74   a report could not be written (disk full, I/O error, closed pipe
               for a file); said on stderr
          130  interrupted (Ctrl-C or SIGTERM), or stopped because the reader
               of the CSV rows went away: the partial report was printed
        """
}

extension ExitStatus {
    init(_ verdict: Verdict) {
        switch verdict.outcome {
        case .passed: self = .success
        case .failed: self = .failure
        case .unreachable: self = .unreachable
        case .interrupted: self = .interrupted
        }
    }
}
