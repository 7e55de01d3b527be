import Foundation
@testable import HitCLI
import HitTarget
import HitTestSupport
import Testing

/// Bad input, through `CLI.run` in this process: a one-line message naming what was wrong, a
/// pointer to --help, exit 64, and not a single request sent. (`Binary/UsageTests` checks a few of
/// the same against the real binary.)
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
        (["-c", "101", url], "-c 101 is more than -n 100, the default: give -n, or -z"),
        (["--streams", "10", url], "--streams needs -h2"),
        (["-h2", "-h3", url], "choose one HTTP version: -h2 or -h3, not both"),
        (["--otlp-interval", "1s", url], "--metrics-interval needs --otlp or --prometheus-remote-write"),
        (["--otlp-temporality", "delta", url], "--otlp-protocol and --otlp-temporality need --otlp"),
        (["--otlp", "--otlp-interval", "5ms", url], "--metrics-interval '5ms' is not a duration of 100ms or more"),
        (["--prometheus-remote-write", "http://127.0.0.1:9090/api/v1/write", "--metrics-interval", "0", url],
         "--metrics-interval '0' is not a duration of 100ms or more"),
        (["--otlp", "--otlp-protocol", "grpc", url], "--otlp: OTLP over 'grpc' is not sent: hit sends http/protobuf or http/json"),
        (["--prometheus-remote-write", "ftp://127.0.0.1/write", url], "--prometheus-remote-write 'ftp://127.0.0.1/write'"),
        (["--prometheus-remote-write", "http://127.0.0.1:9090/api/v1/write", "--find-max", "--fail-if", "p99>1s", url],
         "--otlp and --prometheus-remote-write push a run's metrics: --find-max is a search of many"),
        (["--otlp", "--otlp-temporality", "sometimes", url], "--otlp: the temporality 'sometimes' is not cumulative or delta"),
        (["--otlp-endpoint", "ftp://127.0.0.1:4318", url], "is not an http:// or https:// URL"),
        (["--gate", "p99:+5%", url], "--gate and --inconclusive need --baseline"),
        (["--http3-only", "--http2", url], "choose one HTTP version: -h2 or --http3-only, not both"),
        (["--interface", "eth0", url], "--interface 'eth0' is not an IP address"),
        (["--interface", "192.0.2.1", url], "--interface '192.0.2.1' is not an address of this machine"),
        (["--connections", "2", url], "--connections needs -h2"),
        (["-h2", "--connections", "0", url], "--connections must be a positive whole number, not 0"),
        (["-h2", "--streams", "-3", url], "--streams must be a positive whole number, not -3"),
        (["-h2", "--streams", "2000000", url], "--streams 2000000 is more than 1000000"),
        (["-h2", "--connections", "4", "--streams", "10", "-c", "41", url], "-c 41 is more than --connections 4 × --streams 10 = 40"),
        (["-h2", "--connections", "1000000", "--streams", "1000000", "-z", "1s", url], "is more than 1000000 requests at once"),
        (["-rps", "0", url], "-rps must be a positive, finite number, not 0"),
        (["-rps", "-1", url], "-rps must be a positive, finite number, not -1"),
        (["-rps", "nan", url], "not nan"),
        (["-rps", "inf", url], "not inf"),
        (["--rps", "fast", url], "'fast' is invalid for '--rps"),
        ([], "missing the URL"),
        ([url, "ftp://127.0.0.1:2/"], "bad URL 'ftp://127.0.0.1:2/'"),
        (["ftp://127.0.0.1/"], "the scheme 'ftp' is not supported"),
        (["file:///etc/passwd"], "the scheme 'file' is not supported"),
        (["127.0.0.1:8080"], "needs a scheme"),
        (["http:///x"], "has no host"),
        (["http://127.0.0.1/a b"], "space or a control character"),
        (["--rsp", "5", url], "Unknown option '--rsp'"),
        ([url, "--rsp", "5"], "Unknown option '--rsp'"),
        (["-n", "10", "--rsp", "5", url], "Unknown option '--rsp'"),
        (["--bogus"], "Unknown option '--bogus'"),
        (["-y", url], "Unknown option '-y'"),
        // Request options
        (["-H", "no colon", url], "the header 'no…' needs the form 'Name: value'"),
        (["-H", ": empty name", url], "has no valid name"),
        (["-H", "X-Evil: a\r\nInjected: b", url], "line break"),
        (["-H", "X-Evil: a\nInjected: b", url], "line break"),
        (["-host", "a\r\nb", url], "line break"),
        (["-m", "GET /x", url], "-m 'GET /x' is not an HTTP method token"),
        (["-a", "nopassword", url], "-a needs 'user:password'"),
        (["-D", "/nonexistent/body", url], "-D cannot read '/nonexistent/body'"),
        (["-d", "@/nonexistent/body", url], "-d cannot read '/nonexistent/body'"),
        (["-d", "x", "-D", "/etc/hostname", url], "give the body with one of -d, -D or --data-raw"),
        (["-f", "/nonexistent/targets"], "-f cannot read '/nonexistent/targets'"),
        // Load and connection options
        (["-z", "10", url], "-z '10' is not a duration"),
        (["-z", "soon", url], "-z 'soon' is not a duration"),
        (["-z", "0s", url], "-z must be a positive duration"),
        (["--interval", "5ms", url], "--interval '5ms' is not from 10ms to 1h"),
        (["--interval", "1ns", url], "--interval '1ns' is not from 10ms to 1h"),
        (["--interval", "2h", url], "--interval '2h' is not from 10ms to 1h"),
        (["--interval", "soon", url], "--interval 'soon' is not a duration"),
        (["--stages", "30s", url], "--stages: '30s' is not DURATION:RATE"),
        (["--stages", "30:100", url], "--stages: '30' in '30:100' is not a duration"),
        (["--stages", "30s:-5", url], "--stages: '-5' in '30s:-5' is not a rate"),
        (["--stages", "", url], "--stages is empty"),
        (["--stages", "0s:10", url], "lasts no time"),
        (["--stages", "10s:0,5s:0", url], "--stages schedule no request"),
        (["--ramp-up", "5s", "-rps", "10", url], "--ramp-up starts workers gradually"),
        (["--ramp-up", "soon", url], "--ramp-up 'soon' is not a duration"),
        (["--template", "http://127.0.0.1:1/{{nope}}"], "bad template in the URL: '{{nope}}': no value is named 'nope'"),
        (["--template", "-H", "X-A: {{seq:upper}}", url], "bad template in the header 'X-A': '{{seq:upper}}': no filter is named 'upper'"),
        (["--template", "-d", "{{rand:9:1}}", url], "bad template in the body: '{{rand:9:1}}' is not rand:A:B"),
        (["--template", "http://127.0.0.1:1/{{seq"], "bad template in the URL: '{{seq' has no closing }}"),
        (["--template", "http://127.0.0.1:{{seq}}/"], "the port '{{seq}}' is not a number"),
        (["--seed", "5", url], "--seed and --feed-order apply with --template or --feed"),
        (["--template", "--feed-order", "once", url], "--feed-order applies with --feed"),
        (["--template", "--seed", "-1", url], "--seed"),
        (["--expect-status", "2x", url], "--expect-status: '2x' is not a status (100 to 599) or a class of them (1xx to 5xx)"),
        (["--expect-status", "", url], "--expect-status: the list of statuses is empty"),
        (["--expect-status", "200,,201", url], "--expect-status: '' is not a status"),
        (["--expect-body", "a(b", url], "--expect-body: 'a(b' is not a regular expression"),
        (["--expect-body", "x{2,1}", url], "--expect-body: 'x{2,1}' is not a regular expression"),
        (["--find-max", url], "--find-max needs --fail-if rules"),
        (["--find-max", "--fail-if", "errors>100%", url], "--find-max: no rate could fail errors>100%"),
        (["--find-max", "--fail-if", "p99>50ms", "-n", "100", url], "--find-max runs steps of --find-max-step at constant rates: -n does not apply"),
        (["--find-max", "--fail-if", "p99>50ms", "--find-max-step", "5", url], "--find-max-step '5' is not a duration"),
        (["--find-max", "--fail-if", "p99>50ms", "--find-max-resolution", "many", url], "--find-max-resolution 'many'"),
        (["--find-max-step", "5s", url], "the --find-max-... settings need --find-max"),
        (["--find-max", "--fail-if", "p99>50ms", "-o", "csv", url], "--find-max writes its curve as text, JSON (-o json, --json-file) or HTML (--html): -o csv does not apply"),
        (["--find-max", "--fail-if", "p99>50ms", "--csv-file", "/nonexistent/x.csv", "--hlog", "/nonexistent/x.hlog", url], "--csv-file, --hlog do not apply"),
        (["--find-max", "--fail-if", "p99>50ms", "--hgrm", "/nonexistent/x.hgrm", url], "--hgrm does not apply"),
        (["--find-max", "--fail-if", "p99>50ms", "--interval", "1s", url], "--interval does not apply"),
        // Shards
        (["--shard", "3/3", url], "--shard 3/3: the index runs from 0 to 2"),
        (["--shard", "-1/3", url], "--shard -1/3: the index runs from 0 to 2"),
        (["--shard", "0/0", url], "--shard 0/0: the count must be at least 1"),
        (["--shard", "0/200000", url], "--shard 0/200000: the count is above 100000"),
        (["--shard", "x", url], "--shard 'x' is not I/N"),
        (["--shard", "1/2/3", url], "--shard '1/2/3' is not I/N"),
        (["--shard", "", url], "--shard '' is not I/N"),
        (["--shard", "0/3", "-c", "2", url], "-c 2 is fewer workers than the 3 shards"),
        (["--shard", "0/3", "-n", "2", url], "the run's 2 requests are fewer than its 3 shards"),
        (["--shard", "0/3", "-c", "3", "--stages", "1s:4", url], "the run's 2 requests are fewer than its 3 shards"),
        (["--start-at", "tomorrow", url], "--start-at 'tomorrow' is not a time"),
        (["--start-at", "2026-13-01T00:00:00Z", url], "--start-at '2026-13-01T00:00:00Z' is not a time"),
        (["--start-at", "2026-12-01T00:00:00", url], "is not a time: use RFC 3339"),
        (["--start-at", "@", url], "--start-at '@' is not a time"),
        (["--start-at", "@-5", url], "--start-at '@-5' is not a time"),
        (["--start-at", "@1e9", url], "--start-at '@1e9' is not a time"),
        (["--start-at", "@1", url], "--start-at @1 is more than 24 hours ago"),
        (["--start-at", "@99999999999", url], "is not a time"),
        (["--start-at", "2100-01-01T00:00:00Z", url], "is more than 24 hours away"),
        (["--start-at", "9999-12-31T23:59:59Z", url], "--start-at '9999-12-31T23:59:59Z' is not a time"),
        (["--start-at", "0001-01-01T00:00:00Z", url], "--start-at '0001-01-01T00:00:00Z' is not a time"),
        (["--find-max", "--fail-if", "p99>50ms", "--shard", "0/2", url], "--find-max searches from one machine"),
        (["-h2", "--connections", "2", "--streams", "10", "--shard", "0/3", url], "--connections 2 is fewer than the 3 shards"),
        (["-t", "abc", url], "-t 'abc' is not a number of seconds"),
        (["-t", "-1", url], "-t '-1' is not a number of seconds"),
        (["--connect-timeout", "0", url], "--connect-timeout '0' is not a positive"),
        (["--max-redirs", "-1", url], "--max-redirs must be 0 or more"),
        (["-h2", "--http1.1", url], "choose one HTTP version"),
        (["-4", "-6", url], "choose -4 or -6"),
        (["-x", "ftp://127.0.0.1:21", url], "bad proxy 'ftp://127.0.0.1:21'"),
        (["--unix-socket", "/nonexistent/socket", url], "--unix-socket '/nonexistent/socket': no such file"),
        (["--resolve", "hit.test:80", url], "--resolve 'hit.test:80' is not HOST:PORT:ADDRESS"),
        (["--resolve", "hit.test:port:127.0.0.1", url], "is not HOST:PORT:ADDRESS"),
        (["--connect-to", "a:1:b", url], "--connect-to 'a:1:b' is not HOST:PORT:HOST2:PORT2"),
        // TLS options
        (["--cacert", "/nonexistent/ca.pem", url], "--cacert '/nonexistent/ca.pem': no such file"),
        (["--cert", "/nonexistent/c.pem", url], "--cert '/nonexistent/c.pem': no such file"),
        (["--cacert", "/tmp", url], "--cacert '/tmp': not a readable file"),
        (["--key", "/etc/hostname", url], "--key needs --cert"),
        // Empty, negative, overflowing and non-finite values
        (["-n", "", url], "is invalid for '-n"),
        (["-c", "", url], "is invalid for '-c"),
        (["-rps", "", url], "is invalid for '-rps"),
        (["-z", "", url], "-z '' is not a duration"),
        (["-m", "", url], "-m '' is not an HTTP method token"),
        (["-H", "", url], "needs the form 'Name: value'"),
        (["-o", "", url], "is invalid for '-o"),
        (["-o", "xml", url], "is invalid for '-o"),
        (["--fail-if", "", url], "is an empty rule"),
        (["--loops", "0", url], "--loops must be a positive whole number"),
        (["-c", "99999999999999999999", url], "'99999999999999999999' is invalid for '-c"),
        (["--max-redirs", "99999999999999999999", url], "is invalid for '--max-redirs"),
        (["-rps", "1e400", url], "not inf"),
        (["-rps", "-inf", url], "not -inf"),
        (["-z", "99999999999h", url], "is not a duration"),
        (["-t", "nan", url], "-t 'nan' is not a number of seconds"),
        (["--connect-timeout", "-1", url], "--connect-timeout '-1'"),
        (["http://127.0.0.1/\u{7}bell"], "space or a control character"),
        (["http://127.0.0.1/\ttab"], "space or a control character"),
        (["--output-file", "/nonexistent/dir/out.json", url], "--output-file '/nonexistent/dir/out.json' cannot be written"),
        // Values that used to be accepted and then fail, trap or hang at run time
        (["-t", "500us", url], "-t '500us' is under 1ms"),
        (["-t", "1e-10", url], "is under 1ms"),
        (["--connect-timeout", "0.0001", url], "--connect-timeout '0.0001' is under 1ms"),
        (["--unix-socket", "/etc/passwd", url], "--unix-socket '/etc/passwd' is not a socket"),
        (["--cacert", "/etc/passwd", url], "--cacert '/etc/passwd' holds no PEM certificate"),
        (["--cert", "/etc/passwd", url], "--cert '/etc/passwd' holds no PEM certificate"),
        (["-c", "9223372036854775807", "-z", "1s", url], "is more than 1000000 workers"),
        (["--loops", "256", "-z", "1s", url], "--loops 256 is more than 128 event loops"),
        (["-rps", "1e-11", url], "-rps 1e-11 is below one request a day"),
        (["-rps", "5e-324", url], "is below one request a day"),
        (["-rps", "1e300", url], "-rps 1e+300 is above 10000000 requests per second"),
        // The rate is checked before the stages' requests and the default workers derive from it.
        (["--stages", "1s:10", "-rps", "nan", url], "-rps must be a positive, finite number, not nan"),
        (["--stages", "1s:10", "-rps", "-1e300", url], "-rps must be a positive, finite number, not -1e+300"),
        (["--stages", "30s:1000", "-rps", "-inf", "--shard", "1/3", url], "-rps must be a positive, finite number, not -inf"),
        (["--stages", "1s:10", "-rps", "1e20", url], "-rps 1e+20 is above 10000000 requests per second"),
        (["http://127.0.0.1:99999/"], "the port '99999' is not a number from 1 to 65535"),
        (["http://127.0.0.1:abc/"], "the port 'abc'"),
        (["--data-raw", "a", "-d", "b", "http://127.0.0.1:1/"], "give the body with one of -d, -D or --data-raw"),
        (["-4", "http://[::1]:1/"], "-4 cannot reach 'http://[::1]:1/': its host is an IPv6 address"),
        (["-6", "http://127.0.0.1:1/", "http://[::1]:1/"], "-6 cannot reach 'http://127.0.0.1:"),
        (["-H", "X: a\u{1B}b", "http://127.0.0.1:1/"], "contains a control character: only a tab may appear in a header"),
        (["-H", "X: a\u{7F}", "http://127.0.0.1:1/"], "contains a control character"),
        (["--compressed", "--disable-compression", "http://127.0.0.1:1/"], "--compressed and --disable-compression ask for opposite things"),
        (["http://user:pa@ss@127.0.0.1:1/"], "bad URL 'http://user:[redacted]@127.0.0.1:1/': the user name or password holds an unencoded"),
        (["http://us@er@127.0.0.1:1/"], "bad URL 'http://[redacted]@127.0.0.1:1/': the user name or password holds an unencoded"),
        (["http://admin:pass/word@127.0.0.1:1/"], "percent-encode it (%2F, %3F, %23, %40)"),
        (["http://[::1/"], "is not an IPv6 address in brackets"),
        (["http://[zz]:80/"], "'[zz]' is not an IPv6 address"),
        (["http://[::1]x/"], "'x' after [::1] is not a port: write [::1]:PORT"),
        (["-x", "http://127.0.0.1:3128x", url], "bad proxy 'http://127.0.0.1:3128x': the port '3128x'"),
        (["--fail-if", "max>10000000000s", url], "--fail-if 'max>10000000000s'"),
        (["--fail-if", "p99>99999999999999999999999us", url], "--fail-if"),
        // Numbers are decimal: Double("0x10") is 16 and Double("0x1p3") is 8.
        (["-rps", "0x10", url], "'0x10' is invalid for '-rps"),
        (["-rps", "-0x10", url], "'-0x10' is invalid for '-rps"),
        (["-t", "0x10", url], "-t '0x10' is not a number of seconds"),
        (["--connect-timeout", "0X1", url], "--connect-timeout '0X1'"),
        (["--stages", "1s:0x1p3", url], "'0x1p3' in '1s:0x1p3' is not a rate"),
        (["--find-max", "--find-max-rate", "0x10", url], "'0x10' is invalid for '--find-max-rate"),
        (["--find-max", "--find-max-resolution", "0x5%", url], "--find-max-resolution '0x5%' is not a percentage"),
        (["--fail-if", "p0x10<1s", url], "--fail-if 'p0x10<1s'"),
        // curl's --resolve needs IP literals: anything else fails every request.
        (["--resolve", "hit.test:80:notanip", url], "--resolve 'hit.test:80:notanip' is not HOST:PORT:ADDRESS"),
        (["--resolve", "hit.test:80:127.0.0.1,nope", url], "is not HOST:PORT:ADDRESS"),
        // A host libcurl's URL parser refuses.
        (["http://exa<mple.test/"], "bad URL 'http://exa<mple.test/': libcurl refuses it: Bad hostname"),
        (["http://ho{st:1/"], "libcurl refuses it"),
        // No output overwrites another.
        (["--output-file", clash, "--json-file", clash, url], "--json-file '\(clash)' is the same file as --output-file '\(clash)'"),
        (["--json-file", clash, "--hlog", clash, "--html", clash, url], "--hlog '\(clash)' is the same file as --json-file"),
        (["--csv-file", clash, "--hgrm", "/tmp/../" + clash, url], "is the same file as --csv-file"),
    ]

    /// A path that does not exist: outputs that do not exist yet are compared by path.
    static let clash = NSTemporaryDirectory() + "hit-clash-\(UUID().uuidString).out"

    @Test(arguments: badInputs)
    func badInputIsRefusedBeforeAnythingIsSent(arguments: [String], message: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        // Aim every URL-shaped argument at the live server, so a request sent by mistake would show.
        let aimed = arguments.map { $0 == Self.url ? server.baseURL + "/" : $0 }
        let hit = try InProcessRun(aimed)
        Self.expectRefused(exitStatus: hit.exitStatus, stdout: hit.stdout, stderr: hit.stderr, naming: message, server: server)
    }

    @Test func aBadFeedIsRefusedWithItsFileAndLine() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-feed")
        for (name, text, message) in [("ragged.csv", "a,b\n1,2\n3\n", "line 3: 1 fields where the header has 2"),
                                      ("empty.csv", "", "the feed is empty"),
                                      ("nested.jsonl", "{\"a\": 1}\n{\"a\": [1]}\n", "line 2: not a JSON object")] {
            let path = directory + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let hit = try InProcessRun(["--feed", path, server.baseURL + "/{{a}}"])
            Self.expectRefused(exitStatus: hit.exitStatus, stdout: hit.stdout, stderr: hit.stderr,
                               naming: "--feed '\(path)': \(message)", server: server)
        }
        let unknown = directory + "/cols.csv"
        try "user\nann\n".write(toFile: unknown, atomically: true, encoding: .utf8)
        let hit = try InProcessRun(["--feed", unknown, server.baseURL + "/{{usr}}"])
        Self.expectRefused(exitStatus: hit.exitStatus, stdout: hit.stdout, stderr: hit.stderr, naming: "no value is named 'usr'", server: server)
    }

    /// A usage error as every bad input must end: status 64, one line on stderr naming what was
    /// wrong with a pointer to --help, no trap, nothing on stdout, and no request sent to `server`.
    static func expectRefused(exitStatus: Int32?, stdout: String, stderr: String, naming message: String, server: TargetServer) {
        #expect(exitStatus == 64)
        #expect(stderr.split(separator: "\n").count == 1, "one line, got: \(stderr)")
        #expect(stderr.hasPrefix("hit: "))
        #expect(stderr.contains(message), "got: \(stderr)")
        #expect(stderr.contains("hit --help"))
        #expect(!stderr.contains("Fatal error"))
        #expect(stdout.isEmpty)
        #expect(server.stats.requestsSeen == 0)
        #expect(server.stats.connectionsAccepted == 0)
    }

    /// hit report and hit merge go through the same error path, named for themselves: an unknown
    /// option is called one even before the report is named.
    @Test(arguments: [
        (["report", "--bogus"], "hit report: Unknown option '--bogus'"),
        (["report"], "hit report: missing the JSON report to read"),
        (["merge", "--bogus"], "hit merge: Unknown option '--bogus'"),
        (["merge"], "hit merge: missing the shards' JSON reports to merge"),
    ])
    func reportAndMergeAreRefusedInTheirOwnName(arguments: [String], message: String) throws {
        let hit = try InProcessRun(arguments)
        #expect(hit.exitStatus == 64)
        #expect(hit.stderr.split(separator: "\n").count == 1 && hit.stderr.hasPrefix(message), "\(hit.stderr)")
        #expect(hit.stderr.contains("(see '\(arguments[0] == "report" ? "hit report" : "hit merge") --help')"))
        #expect(hit.stdout.isEmpty)
    }

    @Test func helpDocumentsTheRateAndTheExitStatuses() throws {
        let hit = try InProcessRun(["--help"])
        #expect(hit.exitStatus == 0)
        let words = hit.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("in total, across all workers, not per worker"))
        #expect(hit.stdout.contains("EXIT STATUS"))
        for status in ["0", "1", "64", "130"] {
            #expect(hit.stdout.contains("\n  \(status) "), "status \(status) is documented")
        }
    }
}

extension UsageTests {
    @Test func aBadLineInATargetsFileIsNamed() throws {
        let path = NSTemporaryDirectory() + "hit-targets-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# ok\nhttp://127.0.0.1:1/\nGET http://127.0.0.1:1/ extra\n".write(toFile: path, atomically: true, encoding: .utf8)
        let hit = try InProcessRun(["-f", path])
        #expect(hit.exitStatus == 64)
        #expect(hit.stderr.contains("line 3"))
        try "\n# nothing\n".write(toFile: path, atomically: true, encoding: .utf8)
        let empty = try InProcessRun(["-f", path])
        #expect(empty.exitStatus == 64)
        #expect(empty.stderr.contains("has no targets"))
        try "PUT ftp://127.0.0.1/\n".write(toFile: path, atomically: true, encoding: .utf8)
        let scheme = try InProcessRun(["-f", path])
        #expect(scheme.exitStatus == 64)
        #expect(scheme.stderr.contains("'ftp' is not supported"))
    }

    @Test(arguments: [
        ("{\"url\": \"http://127.0.0.1:1/\"}\n{\"url\": 3}\n", "line 2: 'url' must be a string"),
        ("{\"url\": \"http://127.0.0.1:1/\"}\nhttp://127.0.0.1:1/\n", "line 2: not a JSON object of a target"),
        ("{\"name\": \"a\"}\n", "line 1: the target has no 'url'"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"wieght\": 2}\n", "line 1: unknown key 'wieght'"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"weight\": 0}\n", "line 1: 'weight' must be a whole number from 1"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"weight\": 1.5}\n", "line 1: 'weight' must be a whole number from 1"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"name\": \"log in\"}\n", "line 1: a target's name holds ' '"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"name\": \"corrected\"}\n", "line 1: 'corrected' names a latency"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"name\": \"a\"}\n{\"url\": \"http://127.0.0.1:1/\", \"name\": \"a\"}\n",
         "targets 1 and 2 are both named 'a'"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"headers\": {\"X-A\": 1}}\n", "line 1: the header 'X-A' must be a string"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"headers\": {\"X A\": \"1\"}}\n", "line 1: "),
        ("{\"url\": \"http://127.0.0.1:1/\", \"method\": \"G T\"}\n", "line 1: method 'G T' is not an HTTP method token"),
        ("{\"url\": \"http://127.0.0.1:1/\", \"weight\": 1000000}\n{\"url\": \"http://127.0.0.1:1/\", \"weight\": 999999}\n",
         "the targets' weights: the weights add up to 1999999"),
    ])
    func aBadJSONLineInATargetsFileIsNamed(text: String, message: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let path = try temporaryDirectory("hit-targets") + "/targets.jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let hit = try InProcessRun(["-f", path])
        Self.expectRefused(exitStatus: hit.exitStatus, stdout: hit.stdout, stderr: hit.stderr, naming: message, server: server)
    }

    @Test func rulesOnTargetsNameTargetsThatKeepTheirFigures() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let path = try temporaryDirectory("hit-targets") + "/targets.jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"name\": \"a\", \"url\": \"\(server.baseURL)/\"}\n{\"name\": \"b\", \"url\": \"\(server.baseURL)/\"}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        for (arguments, message) in [(["-f", path, "--fail-if", "c:p99>1s"], "'c' is not a target's name: the targets are 'a', 'b'"),
                                     (["-f", path, "--fail-if", "a:status5xx>0"], "cannot judge one target"),
                                     (["-f", path, "--fail-if", "a:b:p99>1s"], "has too many prefixes"),
                                     ([server.baseURL + "/", "--fail-if", "a:p99>1s"], "no target has a name")] {
            let hit = try InProcessRun(arguments)
            Self.expectRefused(exitStatus: hit.exitStatus, stdout: hit.stdout, stderr: hit.stderr, naming: message, server: server)
        }
    }

    @Test func helpGroupsTheFlags() throws {
        let hit = try InProcessRun(["--help-all"])
        for group in ["LOAD:", "REQUEST:", "CONNECTION:", "TLS:"] {
            #expect(hit.stdout.contains(group))
        }
        for flag in ["-m, -X, --method, --request", "-H, --header", "-d, --data, --data-binary", "--data-raw", "--user-agent", "-D, --data-file", "-T, --content-type", "-A, --accept",
                     "-a, --user", "-host", "-disable-compression", "-t, --timeout", "--connect-timeout", "-z, --duration",
                     "-disable-keepalive", "-L, --location", "--max-redirs", "-h2, --http2", "--http1.1", "-k, --insecure",
                     "--cacert", "--cert", "--key", "-x, --proxy", "--unix-socket", "--resolve", "--connect-to",
                     "-4, --ipv4", "-6, --ipv6", "-f, --targets"] {
            #expect(hit.stdout.contains(flag), "\(flag) is in --help")
        }
    }
}
