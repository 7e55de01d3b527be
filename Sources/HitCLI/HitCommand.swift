import ArgumentParser
import Hit

/// The command line: `hit [-n N] [-c C] [-rps R] URL`.
///
/// Values are checked in `loadTest()`, after parsing, rather than in `validate()`: the parser runs
/// `validate()` and its missing-argument check before it reports an unknown option, which would
/// make `hit --rsp 5 URL` look like a bad URL ('5') instead of the typo it is.
struct HitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hit",
        abstract: "Load-test an HTTP server: send N requests from C workers, optionally at R requests per second in total.",
        usage: "hit [-n <requests>] [-c <concurrency>] [-rps <rate>] <url>",
        discussion: """
        Press Ctrl-C to stop early: the report of what completed is printed, marked as interrupted. \
        A second Ctrl-C exits at once.

        \(ExitStatus.table)
        """,
        version: hitVersion
    )

    // `.unconditional` takes the next word as the value even when it starts with a dash, so that
    // `-n -5` is refused as a negative count rather than as a missing value.
    @Option(name: [.customShort("n"), .customLong("requests")], parsing: .unconditional,
            help: "Number of requests to send.")
    var requests = 100

    @Option(name: [.customShort("c"), .customLong("concurrency")], parsing: .unconditional,
            help: "Number of workers sending at once (at most -n).")
    var concurrency = 1

    @Option(
        name: [.customLong("rps", withSingleDash: true), .customLong("rps")], parsing: .unconditional,
        help: ArgumentHelp("Requests per second in total, across all workers, not per worker (default: no limit).", valueName: "rate")
    )
    var rps: Double?

    @Argument(help: ArgumentHelp("The http:// or https:// URL to send requests to.", valueName: "url"))
    var url: String?

    /// The load test these arguments describe, or the usage error that stops it.
    func loadTest() throws(UsageError) -> LoadTest {
        guard let url else { throw UsageError("missing the URL to send requests to") }
        do {
            try Request.validate(url: url)
        } catch {
            throw UsageError("bad URL '\(url)': \(error)")
        }
        let test = LoadTest(request: Request(url: url), options: Options(requests: requests, concurrency: concurrency, rate: rps))
        do {
            try test.options.validate()
        } catch {
            throw UsageError(error.description)
        }
        return test
    }
}
