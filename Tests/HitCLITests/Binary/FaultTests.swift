import Foundation
import HitTarget
import HitTestSupport
import Testing

/// A load tester meets broken servers by design: under every fault hit keeps going, counts what
/// happened, and ends on time, with no crash and no hang.
@Suite struct FaultTests {
    /// Runs hit against a fresh server; returns the process, the server and the wall time.
    static func run(_ arguments: [String], server configuration: TargetServer.Configuration = .init(),
                    launcher: [String] = [], _ check: (HitProcess, TargetServer, Double) throws -> Void) throws {
        let server = try TargetServer(configuration)
        defer { server.shutdown() }
        let start = Date()
        let hit = try HitProcess.run(arguments, against: server, seconds: 30, launcher: launcher)
        let seconds = Date().timeIntervalSince(start)
        #expect(!hit.stderr.contains("Fatal error"), "\(hit.stderr)")
        try check(hit, server, seconds)
    }

    @Test func resetInTheHeaders() throws {
        try Self.run(["-n", "6", "-c", "2", "{URL}/reset/headers"]) { hit, _, seconds in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("reset    6"), "\(hit.stdout)")
            #expect(seconds < 5)
        }
    }

    @Test func resetInTheBody() throws {
        try Self.run(["-n", "6", "-c", "2", "{URL}/reset/body"]) { hit, _, seconds in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("reset    6"), "\(hit.stdout)")
            #expect(reportValue("Errors", in: hit.stdout) == "6")
            #expect(seconds < 5)
        }
    }

    /// The server closes its keep-alive connections every 3 requests, without warning: hit
    /// reconnects, and nothing that succeeded is counted as failed.
    @Test func theServerClosingKeepAliveConnections() throws {
        try Self.run(["-n", "60", "-c", "2", "{URL}/close/3"]) { hit, server, _ in
            #expect(hit.exitStatus == 0, "\(hit.stdout)")
            #expect(reportValue("Requests", in: hit.stdout) == "60")
            #expect(reportValue("Errors", in: hit.stdout) == "0")
            #expect(server.stats.connectionsAccepted >= 20)
        }
    }

    @Test func slowHeadersBeyondTheTimeout() throws {
        try Self.run(["-n", "4", "-c", "2", "-t", "0.3", "{URL}/delay/5000"]) { hit, _, seconds in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("timeout  4"))
            #expect(seconds < 2.5, "two rounds of 0.3 s, not 5 s: \(seconds)")
        }
    }

    @Test func aSlowBodyBeyondTheTimeout() throws {
        try Self.run(["-n", "4", "-c", "2", "-t", "0.3", "{URL}/slow-body/5000"]) { hit, _, seconds in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("timeout  4"))
            #expect(seconds < 2.5)
        }
    }

    @Test func aWrongContentLength() throws {
        try Self.run(["-n", "5", "{URL}/bad-length"]) { hit, _, _ in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("reset    5"), "\(hit.stdout)")
            #expect(hit.stdout.contains("remaining"), "libcurl's own words: bytes remaining to read")
        }
    }

    @Test func tenMegabyteBodiesKeepMemoryFlat() throws {
        var peaks: [Int] = []
        for requests in ["3", "30"] {
            try Self.run(["-n", requests, "-c", "3", "{URL}/bytes/10485760"]) { hit, _, _ in
                #expect(hit.exitStatus == 0)
                #expect(reportValue("Bytes", in: hit.stdout) == String(Int(requests)! * 10_485_760))
                peaks.append(hit.peakMemoryKiB ?? 0)
            }
        }
        #expect(peaks[0] > 0)
        #expect(Double(peaks[1]) <= Double(peaks[0]) * 1.2, "peak RSS \(peaks) KiB: bodies are counted, not kept")
    }

    @Test func chunkedBodies() throws {
        let bytes = (0..<100).map { "chunk \($0)\n".utf8.count }.reduce(0, +)
        try Self.run(["-n", "10", "-c", "2", "{URL}/chunked/100"]) { hit, _, _ in
            #expect(hit.exitStatus == 0)
            #expect(reportValue("Bytes", in: hit.stdout) == String(10 * bytes))
        }
    }

    /// In a network namespace of its own (nothing reachable, not even loopback), so that the
    /// failed lookup sends nothing off this machine.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") && getuid() == 0))
    func aNameThatDoesNotResolve() throws {
        let hit = try HitProcess.run(["-n", "3", "http://hit.invalid/"], seconds: 30, launcher: ["/usr/bin/unshare", "-n"])
        #expect(hit.exitStatus == 69, "\(hit.stdout)\(hit.stderr)")
        #expect(hit.stdout.contains("dns      3"))
    }

    @Test func plainHTTPBehindAnHTTPSURL() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "3", "https://127.0.0.1:\(server.port)/"])
        #expect(hit.exitStatus == 1)
        #expect(hit.stdout.contains("tls      3"), "\(hit.stdout)")
    }

    @Test func aRedirectLoop() throws {
        try Self.run(["-n", "3", "-L", "--max-redirs", "20", "{URL}/loop"]) { hit, server, seconds in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("protocol 3"))
            #expect(server.stats.requestsSeen == 63, "each request follows 20 redirects, then gives up")
            #expect(seconds < 5)
        }
    }
}
