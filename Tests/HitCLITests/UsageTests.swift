import HitTarget
import Testing

/// Bad input: a one-line message naming what was wrong, a pointer to --help, exit 64, and not a
/// single request sent.
@Suite struct UsageTests {
    static let url = "http://127.0.0.1:1/"

    static let badInputs: [([String], String)] = [
        (["-n", "0", url], "-n must be a positive whole number, not 0"),
        (["-n", "-5", url], "-n must be a positive whole number, not -5"),
        (["-n", "abc", url], "'abc' is invalid for '-n"),
        (["-n", "99999999999999999999", url], "'99999999999999999999' is invalid for '-n"),
        (["-n", "1.5", url], "'1.5' is invalid for '-n"),
        (["-n"], "Missing value for '-n"),
        (["-c", "0", url], "-c must be a positive whole number, not 0"),
        (["-c", "x", url], "'x' is invalid for '-c"),
        (["-c", "20", "-n", "10", url], "-c 20 is more than -n 10"),
        (["-c", "101", url], "-c 101 is more than -n 100"),
        (["-rps", "0", url], "-rps must be a positive, finite number, not 0"),
        (["-rps", "-1", url], "-rps must be a positive, finite number, not -1"),
        (["-rps", "nan", url], "not nan"),
        (["-rps", "inf", url], "not inf"),
        (["--rps", "fast", url], "'fast' is invalid for '--rps"),
        ([], "missing the URL"),
        ([url, "http://127.0.0.1:2/"], "Unexpected argument 'http://127.0.0.1:2/'"),
        (["ftp://127.0.0.1/"], "the scheme 'ftp' is not supported"),
        (["file:///etc/passwd"], "the scheme 'file' is not supported"),
        (["127.0.0.1:8080"], "needs a scheme"),
        (["http:///x"], "has no host"),
        (["http://127.0.0.1/a b"], "space or a control character"),
        (["--rsp", "5", url], "Unknown option '--rsp'"),
        ([url, "--rsp", "5"], "Unknown option '--rsp'"),
        (["-n", "10", "--rsp", "5", url], "Unknown option '--rsp'"),
        (["--bogus"], "Unknown option '--bogus'"),
        (["-x", url], "Unknown option '-x'"),
    ]

    @Test(arguments: badInputs)
    func badInputIsRefusedBeforeAnythingIsSent(arguments: [String], message: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        // Aim every URL-shaped argument at the live server, so a request sent by mistake would show.
        let aimed = arguments.map { $0 == Self.url ? server.baseURL + "/" : $0 }
        let hit = try HitProcess.run(aimed)
        #expect(hit.exitStatus == 64)
        let lines = hit.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line, got: \(hit.stderr)")
        #expect(hit.stderr.hasPrefix("hit: "))
        #expect(hit.stderr.contains(message), "got: \(hit.stderr)")
        #expect(hit.stderr.contains("hit --help"))
        #expect(!hit.stderr.contains("Fatal error"))
        #expect(hit.stdout.isEmpty)
        #expect(server.stats.requestsSeen == 0)
        #expect(server.stats.connectionsAccepted == 0)
    }

    @Test func helpDocumentsTheRateAndTheExitStatuses() throws {
        let hit = try HitProcess.run(["--help"])
        #expect(hit.exitStatus == 0)
        let words = hit.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("in total, across all workers, not per worker"))
        #expect(hit.stdout.contains("EXIT STATUS"))
        for status in ["0", "1", "64", "130"] {
            #expect(hit.stdout.contains("\n  \(status) "), "status \(status) is documented")
        }
    }
}
