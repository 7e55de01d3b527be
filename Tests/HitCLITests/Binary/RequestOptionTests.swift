import Foundation
import HitTarget
import HitTestSupport
import Testing

/// Each request option, run through the `hit` binary, checked against what the server received.
@Suite struct RequestOptionTests {
    /// Runs hit against a fresh server; `arguments` may use `{URL}` for the server's base URL.
    static func run(_ arguments: [String], server configuration: TargetServer.Configuration = .init(),
                    _ check: (HitProcess, TargetServer) throws -> Void) throws {
        let server = try TargetServer(configuration)
        defer { server.shutdown() }
        let hit = try HitProcess.run(arguments, against: server)
        try check(hit, server)
    }

    @Test func methodAndHeaders() throws {
        try Self.run(["-n", "3", "-m", "PUT", "-H", "X-One: 1", "-H", "X-Two: two words", "-A", "text/csv",
                      "-host", "example.test", "{URL}/echo"]) { hit, server in
            #expect(hit.exitStatus == 0)
            let seen = server.stats.recentRequests
            #expect(seen.count == 3)
            for request in seen {
                #expect(request.method == "PUT")
                #expect(request.header("X-One") == "1")
                #expect(request.header("X-Two") == "two words")
                #expect(request.header("Accept") == "text/csv")
                #expect(request.header("Host") == "example.test")
                #expect(request.header("User-Agent")?.hasPrefix("hit/") == true)
            }
        }
    }

    /// curl's spellings: -X and --request for the method, --data-binary and --data-raw for the body
    /// (--data-raw takes a leading @ as text), --user-agent, --max-time, --compressed.
    @Test(arguments: [
        (["-X", "PUT", "--data-binary", "x=1"], "PUT", "x=1"),
        (["--request", "DELETE", "--data-raw", "@not-a-file"], "DELETE", "@not-a-file"),
        (["--data-raw", "a b", "--compressed", "--max-time", "5"], "POST", "a b"),
    ])
    func curlSpellings(arguments: [String], method: String, body: String) throws {
        try Self.run(["-n", "2", "--user-agent", "Probe/1.0"] + arguments + ["{URL}/echo"]) { hit, server in
            #expect(hit.exitStatus == 0, "\(hit.stderr)")
            #expect(server.stats.recentRequests.count == 2)
            for request in server.stats.recentRequests {
                #expect(request.method == method)
                #expect(request.body == Array(body.utf8))
                #expect(request.header("User-Agent") == "Probe/1.0")
            }
        }
    }

    @Test func aBodyImpliesPostAndIsSentWhole() throws {
        try Self.run(["-n", "2", "-d", "hello, body", "-T", "text/plain", "{URL}/echo"]) { hit, server in
            #expect(hit.exitStatus == 0)
            for request in server.stats.recentRequests {
                #expect(request.method == "POST")
                #expect(request.body == Array("hello, body".utf8))
                #expect(request.header("Content-Length") == "11")
                #expect(request.header("Content-Type") == "text/plain")
                #expect(request.header("Expect") == nil)
            }
        }
    }

    @Test(arguments: ["-D", "-d@"])
    func aBodyFromAFileIsSentByteForByte(flag: String) throws {
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = NSTemporaryDirectory() + "hit-body-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let arguments = flag == "-D" ? ["-D", path] : ["-d", "@" + path]
        try Self.run(["-n", "4", "-c", "2", "-m", "PATCH"] + arguments + ["{URL}/echo"]) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(server.stats.recentRequests.count == 4)
            for request in server.stats.recentRequests {
                #expect(request.method == "PATCH")
                #expect(request.body == bytes)
            }
        }
    }

    @Test func basicAuthentication() throws {
        try Self.run(["-n", "1", "-a", "alice:s3cret:with:colons", "{URL}/echo"]) { hit, server in
            #expect(hit.exitStatus == 0)
            let expected = "Basic " + Data("alice:s3cret:with:colons".utf8).base64EncodedString()
            #expect(server.stats.recentRequests.first?.header("Authorization") == expected)
            #expect(!hit.stdout.contains("s3cret"))
        }
    }

    @Test func headNeverWaitsForABody() throws {
        try Self.run(["-n", "3", "-m", "HEAD", "{URL}/bytes/5000"]) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(server.stats.recentRequests.allSatisfy { $0.method == "HEAD" })
            #expect(reportValue("Bytes", in: hit.stdout) == "0")
        }
    }

    @Test func compressionIsAskedForAndDecodedByDefault() throws {
        try Self.run(["-n", "1", "{URL}/bytes/100000"]) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(server.stats.recentRequests.first?.header("Accept-Encoding") == "gzip")
            #expect(reportValue("Bytes", in: hit.stdout) == "100000", "bytes are counted decoded")
            #expect(server.stats.bytesWritten < 10_000, "the body went compressed: \(server.stats.bytesWritten) bytes")
        }
        // A request's own Accept-Encoding replaces hit's, and what the server chose is still decoded.
        try Self.run(["-n", "1", "-H", "Accept-Encoding: deflate", "--expect-body", "^x{1000}", "{URL}/bytes/100000"]) { hit, server in
            #expect(hit.exitStatus == 0, "\(hit.stdout)\(hit.stderr)")
            #expect(server.stats.recentRequests.first?.header("Accept-Encoding") == "deflate")
            #expect(reportValue("Bytes", in: hit.stdout) == "100000", "bytes are counted decoded")
            #expect(server.stats.bytesWritten < 10_000, "the body went deflated: \(server.stats.bytesWritten) bytes")
        }
        try Self.run(["-n", "1", "-disable-compression", "{URL}/bytes/100000"]) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(server.stats.recentRequests.first?.header("Accept-Encoding") == nil)
            #expect(reportValue("Bytes", in: hit.stdout) == "100000")
            #expect(server.stats.bytesWritten > 100_000)
        }
    }

    @Test func keepAliveReusesConnectionsAndCanBeTurnedOff() throws {
        try Self.run(["-n", "30", "-c", "3", "{URL}/"]) { _, server in
            #expect(server.stats.requestsSeen == 30)
            #expect(server.stats.connectionsAccepted == 3)
        }
        try Self.run(["-n", "30", "-c", "3", "-disable-keepalive", "{URL}/"]) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(server.stats.requestsSeen == 30)
            #expect(server.stats.connectionsAccepted == 30)
        }
    }

    @Test func redirectsAreFollowedOnlyWithL() throws {
        try Self.run(["-n", "4", "{URL}/redirect/3"]) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(server.stats.requestsSeen == 4)
            #expect(hit.stdout.contains("[302] 4 responses"))
        }
        try Self.run(["-n", "4", "-L", "{URL}/redirect/3"]) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(server.stats.requestsSeen == 16, "each chain is 4 requests on the wire")
            #expect(reportValue("Requests", in: hit.stdout) == "4", "and counts as one")
            #expect(hit.stdout.contains("[200] 4 responses"))
        }
        try Self.run(["-n", "2", "-L", "--max-redirs", "2", "{URL}/redirect/3"]) { hit, _ in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("protocol"))
            #expect(hit.stdout.contains("redirect"))
        }
    }

    @Test func http2WithPriorKnowledge() throws {
        var configuration = TargetServer.Configuration()
        configuration.http2 = true
        try Self.run(["-n", "10", "-c", "2", "-h2", "{URL}/"], server: configuration) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(hit.stdout.contains("HTTP/2  10"))
            #expect(server.stats.recentRequests.allSatisfy { $0.version == "HTTP/2" })
        }
        try Self.run(["-n", "2", "{URL}/"]) { hit, _ in
            #expect(hit.stdout.contains("HTTP/1.1  2"), "HTTP/1.1 by default")
        }
    }

    @Test func http2WithPriorKnowledgeToAnHTTP1ServerEndsWithAClearError() throws {
        // With no timeout: before, this run never ended.
        try Self.run(["-n", "4", "-c", "2", "-h2", "-t", "0", "{URL}/"]) { hit, server in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("no-h2c   4"))
            #expect(hit.stdout.contains("HTTP/1.1 only"))
            #expect(server.stats.connectionsAccepted >= 1)
        }
    }

    @Test func connectionsAndStreamsAreReportedAndSplitTheWorkers() throws {
        var configuration = TargetServer.Configuration()
        configuration.http2 = true
        try Self.run(["-n", "200", "-h2", "--connections", "2", "--streams", "5", "-o", "json", "{URL}/"], server: configuration) { hit, server in
            #expect(hit.exitStatus == 0)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
            let configuration = try #require(json["configuration"] as? [String: Any])
            #expect(configuration["concurrency"] as? Int == 10, "--connections 2 × --streams 5")
            #expect(configuration["connectionsPerOrigin"] as? Int == 2)
            #expect(configuration["streamsPerConnection"] as? Int == 5)
            let connections = try #require(json["connections"] as? [String: Any])
            #expect(connections["opened"] as? Int == 2)
            #expect(server.stats.connectionsAccepted == 2)
            #expect(server.stats.maxInFlight <= 10)
        }
    }

    @Test func aDurationBoundsTheRun() throws {
        let start = Date()
        try Self.run(["-z", "800ms", "-c", "2", "{URL}/delay/10"]) { hit, server in
            let seconds = Date().timeIntervalSince(start)
            #expect(hit.exitStatus == 0)
            #expect(seconds >= 0.75 && seconds < 2.0, "took \(seconds) s")
            #expect(hit.stdout.contains("-z deadline reached"))
            let completed = try #require(Int(reportValue("Requests", in: hit.stdout) ?? ""))
            #expect(completed > 20 && completed <= server.stats.requestsSeen)
        }
        try Self.run(["-z", "10s", "-n", "5", "{URL}/"]) { hit, server in
            #expect(hit.exitStatus == 0)
            #expect(server.stats.requestsSeen == 5, "-n comes first")
            #expect(!hit.stdout.contains("deadline"))
        }
    }

    @Test func aTimeoutIsReportedAsATimeout() throws {
        let start = Date()
        try Self.run(["-n", "2", "-c", "2", "-t", "0.3", "{URL}/hang"]) { hit, _ in
            #expect(hit.exitStatus == 1)
            #expect(Date().timeIntervalSince(start) < 3)
            #expect(hit.stdout.contains("timeout  2"))
        }
    }

    @Test func aConnectTimeoutIsATimeoutToo() throws {
        // A listener that never accepts, with its backlog already full: new connections hang.
        let listener = try StuckListener()
        let hit = try HitProcess.run(["-n", "2", "-c", "2", "-t", "10", "--connect-timeout", "300ms",
                                      "http://127.0.0.1:\(listener.port)/"])
        #expect(hit.exitStatus == 1)
        #expect(hit.stdout.contains("timeout  2"), "\(hit.stdout)")
        let duration = reportValue("Duration", in: hit.stdout) ?? ""
        #expect(duration.hasSuffix("ms"), "ended after the connect timeout, not -t: \(duration)")
    }

    @Test func tlsIsVerifiedByDefault() throws {
        let certificates = try Certificates.shared.get()
        var configuration = TargetServer.Configuration()
        configuration.tls = .init(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey)
        try Self.run(["-n", "2", "{URL}/"], server: configuration) { hit, server in
            #expect(hit.exitStatus == 1)
            #expect(hit.stdout.contains("tls  "), "\(hit.stdout)")
            #expect(server.stats.requestsSeen == 0)
        }
        try Self.run(["-n", "2", "--cacert", certificates.caCertificate, "{URL}/"], server: configuration) { hit, server in
            #expect(hit.exitStatus == 0, "\(hit.stdout)")
            #expect(server.stats.recentRequests.allSatisfy { $0.tls })
        }
        try Self.run(["-n", "2", "-k", "{URL}/"], server: configuration) { hit, _ in
            #expect(hit.exitStatus == 0)
        }
    }

    @Test func http2ThroughALPN() throws {
        let certificates = try Certificates.shared.get()
        var configuration = TargetServer.Configuration()
        configuration.tls = .init(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey)
        configuration.http2 = true
        try Self.run(["-n", "4", "-h2", "--cacert", certificates.caCertificate, "{URL}/"], server: configuration) { hit, _ in
            #expect(hit.exitStatus == 0, "\(hit.stdout)")
            #expect(hit.stdout.contains("HTTP/2  4"))
        }
    }

    @Test func aClientCertificateIsShown() throws {
        let certificates = try Certificates.shared.get()
        var configuration = TargetServer.Configuration()
        configuration.tls = .init(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey,
                                  clientCertificateAuthority: certificates.caCertificate)
        try Self.run(["-n", "1", "--cacert", certificates.caCertificate, "{URL}/"], server: configuration) { hit, server in
            #expect(hit.exitStatus == 1, "the server requires a client certificate")
            #expect(server.stats.requestsSeen == 0)
        }
        try Self.run(["-n", "2", "--cacert", certificates.caCertificate, "--cert", certificates.clientCertificate,
                      "--key", certificates.clientKey, "{URL}/"], server: configuration) { hit, server in
            #expect(hit.exitStatus == 0, "\(hit.stdout)")
            #expect(server.stats.requestsSeen == 2)
            #expect(server.stats.recentRequests.allSatisfy { $0.clientCertificate })
        }
    }

    /// The proxy is the target server itself: it answers requests in absolute form. The URL names
    /// a host that is never resolved (.test is reserved), so only the proxy can have answered.
    @Test func requestsGoThroughTheProxy() throws {
        try Self.run(["-n", "5", "-x", "{URL}", "http://hit.test/echo"]) { hit, server in
            #expect(hit.exitStatus == 0, "\(hit.stdout)")
            #expect(server.stats.proxiedRequests == 5)
            #expect(server.stats.recentRequests.allSatisfy { $0.uri == "http://hit.test/echo" })
        }
    }

    @Test func aUnixSocket() throws {
        let path = NSTemporaryDirectory() + "hit-\(UUID().uuidString.prefix(8)).sock"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = TargetServer.Configuration()
        configuration.unixSocketPath = path
        try Self.run(["-n", "6", "-c", "2", "--unix-socket", path, "http://hit.test/"], server: configuration) { hit, server in
            #expect(hit.exitStatus == 0, "\(hit.stdout)")
            #expect(server.stats.requestsSeen == 6)
            #expect(server.stats.recentRequests.allSatisfy { $0.header("Host") == "hit.test" })
        }
    }

    @Test func resolveAndConnectToSendANamedHostToLoopback() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let port = server.port
        let resolved = try HitProcess.run(["-n", "2", "--resolve", "hit.test:\(port):127.0.0.1", "http://hit.test:\(port)/"])
        #expect(resolved.exitStatus == 0, "\(resolved.stdout)")
        let redirected = try HitProcess.run(["-n", "2", "--connect-to", "hit.test:80:127.0.0.1:\(port)", "http://hit.test/"])
        #expect(redirected.exitStatus == 0, "\(redirected.stdout)")
        #expect(server.stats.requestsSeen == 4)
        #expect(server.stats.recentRequests.map { $0.header("Host") } == ["hit.test:\(port)", "hit.test:\(port)", "hit.test", "hit.test"])
    }

    @Test func ipVersions() throws {
        try Self.run(["-n", "1", "-4", "{URL}/"]) { hit, _ in #expect(hit.exitStatus == 0) }
        try Self.run(["-n", "1", "-6", "{URL}/"]) { hit, server in
            #expect(hit.exitStatus == 64, "-6 cannot reach 127.0.0.1, said before anything is sent")
            #expect(hit.stderr.contains("-6 cannot reach"), "\(hit.stderr)")
            #expect(server.stats.requestsSeen == 0)
        }
        // A name that resolves to IPv4 only: -6 finds no address, and the run says so.
        let server = try TargetServer()
        defer { server.shutdown() }
        let named = try HitProcess.run(["-n", "1", "-6", "--resolve", "v4.hit.test:\(server.port):127.0.0.1", "http://v4.hit.test:\(server.port)/"])
        #expect(named.exitStatus == 69, "\(named.stdout)")
        #expect(server.stats.requestsSeen == 0)
        var v6 = TargetServer.Configuration()
        v6.host = "::1"
        try Self.run(["-n", "1", "-6", "{URL}/"], server: v6) { hit, _ in #expect(hit.exitStatus == 0, "\(hit.stdout)") }
    }

    @Test func severalTargetsGoRoundRobin() throws {
        try Self.run(["-n", "10", "-c", "2", "{URL}/status/201", "{URL}/status/404"]) { hit, server in
            #expect(hit.exitStatus == 1)
            let uris = server.stats.recentRequests.map(\.uri)
            #expect(uris.filter { $0 == "/status/201" }.count == 5)
            #expect(uris.filter { $0 == "/status/404" }.count == 5)
            #expect(hit.stdout.contains("Targets:"))
            // Wrapped at the report's width: read as words.
            let words = hit.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains("target requests errors p50 p90 p99 max"))
            #expect(words.contains("/status/201 5 0 "))
            #expect(words.contains("/status/404 5 5 "))
        }
    }

    @Test func aTargetsFile() throws {
        let path = NSTemporaryDirectory() + "hit-targets-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try TargetServer()
        defer { server.shutdown() }
        try """
        # three targets
        \(server.baseURL)/echo

        DELETE \(server.baseURL)/echo
          PUT   \(server.baseURL)/status/204
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let hit = try HitProcess.run(["-n", "6", "-f", path])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(server.stats.recentRequests.map(\.method).sorted() == ["DELETE", "DELETE", "GET", "GET", "PUT", "PUT"])
    }
}

/// A TCP listener on loopback that never accepts, its backlog filled, so that connecting hangs.
final class StuckListener {
    let port: Int
    private let descriptor: Int32
    private let fillers: [Int32]

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(descriptor, raw, length) == 0, listen(descriptor, 0) == 0,
                      getsockname(descriptor, raw, &length) == 0 else { throw POSIXError(.EADDRINUSE) }
            }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        // Fill the accept queue: with it full, the kernel drops further SYNs and connects hang.
        var fillers: [Int32] = []
        for _ in 0..<4 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, length) }
            }
            fillers.append(filler)
        }
        self.fillers = fillers
        usleep(100_000)
    }

    deinit {
        fillers.forEach { close($0) }
        close(descriptor)
    }
}

/// Bodies byte for byte, from arguments, files, pipes and standard input.
@Suite struct BodyBytesTests {
    @Test func bytesThatAreNotUTF8AreSentAsGiven() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        // The arguments go through a shell, which keeps their bytes.
        let hit = try HitProcess.run(["-q", "-n", "1", "{URL}/echo"], against: server,
                                     launcher: ["/bin/sh", "-c", "exec \"$0\" -d \"$(printf '\\377\\376\\200')\" \"$@\""])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(server.stats.recentRequests.last?.body == [0xFF, 0xFE, 0x80])
    }

    @Test(arguments: ["-D -", "-d @-", "-D /dev/stdin"])
    func aBodyFromStandardInput(flag: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-q", "-n", "2", "{URL}/echo"], against: server,
                                     launcher: ["/bin/sh", "-c", "printf 'piped\\r\\nbody' | exec \"$0\" \(flag) \"$@\""])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(server.stats.recentRequests.map(\.body) == [Array("piped\r\nbody".utf8), Array("piped\r\nbody".utf8)])
    }

    @Test func aTargetsFileFromAPipe() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-q", "-n", "2"], against: server,
                                     launcher: ["/bin/bash", "-c", "exec \"$0\" \"$@\" -f <(printf '\(server.baseURL)/\\r\\n')"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(server.stats.requestsSeen == 2)
    }

    @Test func standardInputIsReadOnce() throws {
        let hit = try HitProcess.run(["-q", "-n", "1", "-H", "@-", "-d", "@-", "http://127.0.0.1:1/"])
        #expect(hit.exitStatus == 64)
        #expect(hit.stderr.contains("standard input is already read"), "\(hit.stderr)")
    }

    @Test func aDeviceThatNeverEndsIsRefused() throws {
        let hit = try HitProcess.run(["-q", "-n", "1", "-D", "/dev/zero", "http://127.0.0.1:1/"])
        #expect(hit.exitStatus == 64)
        #expect(hit.stderr.contains("never ends"), "\(hit.stderr)")
    }
}

extension RequestOptionTests {
    /// A targets file in JSON lines: each line's method, headers, body and weight reach the server,
    /// on top of what the command line gives every target.
    @Test func aTargetsFileInJSONLines() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let path = try temporaryDirectory("hit-targets") + "/targets.jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        # a mix
        {"name": "login", "method": "PUT", "url": "\(server.baseURL)/echo", "headers": {"X-Who": "ann", "X-List": ["1", "2"]}, "body": "{\\"u\\":1}", "weight": 3}

        {"name": "home", "url": "\(server.baseURL)/"}
        {"url": "\(server.baseURL)/status/201", "body": "b"}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let hit = try HitProcess.run(["-n", "50", "-c", "2", "-H", "X-All: yes", "-f", path, "--fail-if", "login:errors>0", "-o", "json"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(server.stats.requestsByPath == ["/echo": 30, "/": 10, "/status/201": 10])
        for seen in server.stats.recentRequests {
            #expect(seen.header("X-All") == "yes")
            switch seen.uri {
            case "/echo":
                #expect(seen.method == "PUT")
                #expect(seen.header("X-Who") == "ann")
                #expect(seen.headers.filter { $0.name == "X-List" }.map(\.value) == ["1", "2"])
                #expect(seen.body == Array("{\"u\":1}".utf8))
            case "/status/201":
                #expect(seen.method == "POST", "a body of its own makes a target a POST")
                #expect(seen.body == Array("b".utf8))
            default:
                #expect(seen.method == "GET")
                #expect(seen.body.isEmpty)
            }
        }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        let targets = try #require(report["targets"] as? [[String: Any]])
        #expect(targets.map { $0["name"] as? String } == ["login", "home", nil])
        #expect(targets.map { ($0["latency"] as? [String: Any])?["count"] as? Int } == [30, 10, 10])
        let configured = try #require((report["configuration"] as? [String: Any])?["targets"] as? [[String: Any]])
        #expect(configured.map { $0["weight"] as? Int } == [3, 1, 1])
    }
}
