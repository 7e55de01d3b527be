import Foundation
import HitTarget
import HitTestSupport
import PropertyBased
import Testing

/// Random argument vectors (50 a run: a new sample each CI run) over hit's own flag grammar, with values chosen to hurt: empty, negative,
/// huge, non-finite, tiny, control characters, secrets, bad URLs. Whatever hit is given, it ends on
/// time with a documented exit status, says a usage error in one line, and never traps.
@Suite struct CommandLineFuzzTests {
    static let statuses: Set<Int32> = [0, 1, 64, 69, 70, 74, 130]

    /// A flag and the values it may be given.
    static let grammar: [(flag: String, values: [String])] = [
        ("-n", ["1", "3", "0", "-1", "", "1.5", "9223372036854775807", "99999999999999999999", "abc"]),
        ("-c", ["1", "2", "0", "-3", "1000001", "9223372036854775807", "x"]),
        ("-rps", ["50", "1e9", "1e300", "0.5", "1e-11", "5e-324", "0", "-1", "nan", "inf", ""]),
        ("-z", ["150ms", "1ms", "0s", "10", "1h", "99999999999h", "-1s", ""]),
        ("-t", ["2", "1ms", "500us", "0", "1e-10", "nan", "-1", "999999999"]),
        ("--connect-timeout", ["1", "0", "0.0001", "x"]),
        ("--loops", ["1", "2", "0", "256", "9223372036854775807"]),
        ("-m", ["GET", "POST", "HEAD", "", "GET /x", "DELETE"]),
        ("-H", ["X-A: 1", "no colon", "X: a\r\nB: c", "Authorization: Bearer SECRETTOKEN", "", "@/nonexistent"]),
        ("-d", ["x", "", "@/nonexistent", "@/dev/zero", "{\"a\":1}"]),
        ("-o", ["text", "json", "csv", "xml", ""]),
        ("--fail-if", ["p99>1s", "errors>0", "max>10000000000s", "p99>>1", "uncorrected:p50>1ms", "rps<1", "", "status5xx>0"]),
        ("-x", ["http://u:SECRETPROXY@127.0.0.1:1", "127.0.0.1:3128x", ""]),
        ("--unix-socket", ["/etc/passwd", "/nonexistent"]),
        ("-4", []), ("-6", []), ("-h2", []), ("-k", []), ("-L", []), ("-disable-keepalive", []),
        ("--max-redirs", ["0", "-1", "99999999999999999999"]),
        // Values from which others derive (the schedule, its requests, the default workers, shares):
        // a trap here once came from a rate checked after them.
        ("--stages", ["1s:10", "720h:1e7", "1s:0", "1s:1e20", "99999999999h:1", "1s:nan", "1s:10,1s:-1", ""]),
        ("--shard", ["0/2", "1/3", "0/100000", "0/9223372036854775807", "5/3", ""]),
        ("--interval", ["10ms", "1ns", "1h", "99999999999h", ""]),
        ("--ramp-up", ["1s", "0s", "99999999999h"]),
        ("--find-max", []), ("--connections", ["1", "0", "9223372036854775807"]), ("--streams", ["2", "-1", "9223372036854775807"]),
        ("--find-max-step", ["1s", "0s", "99999999999h"]), ("--find-max-rate", ["1e300", "0", "nan"]),
        ("--find-max-time", ["1s", "99999999999h"]), ("--find-max-resolution", ["5%", "1e-300%", "nan"]),
    ]

    /// The URLs a vector may aim at; `{URL}` is the live target server.
    static let urls = ["{URL}/", "{URL}/delay/5", "{URL}/status/503", "{URL}/hang", "http://127.0.0.1:1/",
                       "ftp://127.0.0.1/", "http://[::1/", "http://127.0.0.1:99999/", "admin:SECRETURL@127.0.0.1/",
                       "http://u:SECRETURL@127.0.0.1:1/", ""]

    /// Every flag with each of its values, as the pieces a vector is made of.
    static let pieces: [[String]] = grammar.flatMap { flag, values in values.isEmpty ? [[flag]] : values.map { [flag, $0] } }

    @Test(.timeLimit(.minutes(5)))
    func anyArgumentsEndOnTimeWithADocumentedStatus() async throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let vector = zip(Gen.element(of: Self.pieces).array(of: 0...5), Gen.element(of: Self.urls).array(of: 0...2))
        await propertyCheck(count: 50, input: vector) { pieces, urls in
            let arguments = ["-q"] + pieces.flatMap { $0 ?? [] } + urls.compactMap { $0 }
            // A run that could go on for long is bounded by -z; one that still runs after 5 s is
            // stopped with Ctrl-C, and must then end at once: a long run is fine, a hang is not.
            let bounded = arguments.contains("-z") ? arguments : ["-z", "2s"] + arguments
            guard let hit = try? HitProcess(bounded.map { $0.replacingOccurrences(of: "{URL}", with: server.baseURL) }) else {
                Issue.record("hit \(bounded) could not be started")
                return
            }
            var status = hit.wait(seconds: 5) ?? -1
            if status == -1 {
                let (interrupted, milliseconds) = hit.interrupt(with: SIGINT)
                #expect(interrupted == 130 && milliseconds < 1000, "hit \(bounded) did not end on Ctrl-C: \(String(describing: interrupted))")
                status = interrupted ?? -1
            }
            #expect(Self.statuses.contains(status), "hit \(bounded) exited \(status): \(hit.stderr)")
            #expect(!hit.stderr.contains("Fatal error") && !hit.stderr.contains("rash") && !hit.stderr.lowercased().contains("backtrace"),
                    "hit \(bounded): \(hit.stderr)")
            if status == 64 {
                #expect(hit.stderr.hasPrefix("hit: ") && hit.stderr.split(separator: "\n").count == 1, "hit \(bounded): \(hit.stderr)")
                #expect(hit.stdout.isEmpty)
            }
            for secret in ["SECRETTOKEN", "SECRETPROXY", "SECRETURL"] {
                #expect(!hit.stderr.contains(secret) && !hit.stdout.contains(secret), "hit \(bounded) leaked \(secret)")
            }
        }
    }
}
