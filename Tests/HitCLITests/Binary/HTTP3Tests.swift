import Foundation
import HitTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/3 end to end: the `hit` that `scripts/build-http3` builds against a libcurl with HTTP/3,
/// run against hypercorn + aioquic (`H3Server`), whose own log of arrivals the report is held
/// against. `scripts/test` builds that hit and installs the server, so these run in CI.
@Suite(.serialized, .enabled(if: HitProcess.http3Binary != nil && H3Server.isInstalled,
                "needs scripts/build-http3 and scripts/setup hypercorn"))
struct HTTP3Tests {
    static var hit: String { HitProcess.http3Binary ?? "" }

    static func certificates() throws -> Certificates { try Certificates.shared.get() }

    static func run(_ arguments: [String], seconds: Double = 60) throws -> HitProcess {
        try HitProcess.run(arguments, seconds: seconds, binary: hit)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The run's figures from its JSON report: versions, connections, phase counts.
    struct Figures {
        let report: [String: Any]
        var versions: [String: Int] { report["httpVersions"] as? [String: Int] ?? [:] }
        var connections: [String: Any] { report["connections"] as? [String: Any] ?? [:] }
        var summary: [String: Any] { report["summary"] as? [String: Any] ?? [:] }
        func phaseCount(_ name: String) -> Int? { ((report["phases"] as? [String: Any])?[name] as? [String: Any])?["count"] as? Int }
        var errorKinds: [String: Int] {
            Dictionary(uniqueKeysWithValues: (report["transportErrors"] as? [[String: Any]] ?? []).compactMap { entry in
                (entry["kind"] as? String).map { ($0, entry["count"] as? Int ?? 0) }
            })
        }
    }

    @Test func everyResponseIsHTTP3AndTheyShareOneConnection() throws {
        let certificates = try Self.certificates()
        let server = try H3Server(certificates: certificates)
        // HTTP/3 only: with -h3 a busy machine can slow the Python server's QUIC handshake past
        // libcurl's 200 ms head start, and every request then goes over TCP, as -h3 allows
        // (h3FallsBackToTCPAndTheReportSaysHowMany holds that path; the other tests here hold -h3).
        let hit = try Self.run(["--http3-only", "-n", "300", "-c", "10", "--cacert", certificates.caCertificate, "-q", "-o", "json", server.url + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let figures = Figures(report: try Self.json(hit.stdout))
        #expect(figures.versions == ["HTTP/3": 300])
        // One QUIC connection carried everything.
        #expect(figures.connections["opened"] as? Int == 1, "\(figures.connections)")
        #expect(figures.connections["mostRequestsOnOne"] as? Int == 300)
        #expect(figures.connections["fallbacks"] as? Int == 0)
        // The QUIC handshake is timed once, as connect and TLS; every response has the rest.
        #expect(figures.phaseCount("connect") == 1)
        #expect(figures.phaseCount("tls") == 1)
        #expect(figures.phaseCount("first byte") == 300)
        #expect(figures.phaseCount("transfer") == 300)
        let client = try #require((try Self.json(hit.stdout))["client"] as? [String: Any])
        #expect((client["features"] as? [String])?.contains("HTTP3") == true)
        // The server's own record: 300 requests, all HTTP/3, from one QUIC connection.
        let arrivals = try server.arrivals()
        #expect(arrivals.count == 300)
        #expect(Set(arrivals.map(\.httpVersion)) == ["3"])
        #expect(Set(arrivals.map(\.client)).count == 1)
    }

    /// A second HTTP/3 stack: ngtcp2's own example server (from bookworm-backports, fetched with
    /// the libcurl the HTTP/3 build links).
    @Test(.enabled(if: Ngtcp2Server.isInstalled, "needs scripts/libcurl-backports (FLAVOUR=gnutls)"))
    func ngtcp2sOwnServerAnswersEveryRequestInHTTP3() throws {
        let certificates = try Self.certificates()
        let server = try Ngtcp2Server(certificates: certificates)
        let hit = try Self.run(["-h3", "-n", "1000", "-c", "10", "--cacert", certificates.caCertificate, "-q", "-o", "json", server.url])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let figures = Figures(report: try Self.json(hit.stdout))
        #expect(figures.versions == ["HTTP/3": 1000])
        #expect(figures.summary["bodyBytesReceived"] as? Int == 11_000)
        // One QUIC connection carried everything; libcurl's happy eyeballs may also have opened a
        // TCP connection that lost the race, when a busy machine slowed the Python server's
        // handshake past its 200 ms head start. The server's record below is the strict one.
        #expect((1...2).contains(figures.connections["opened"] as? Int ?? 0), "\(figures.connections)")
        #expect(figures.phaseCount("tls") == 1)
        let split = try Self.run(["--http3-only", "-n", "400", "-c", "8", "--connections", "4", "--streams", "2", "--cacert", certificates.caCertificate,
                                  "-q", "-o", "json", server.url])
        #expect(split.exitStatus == 0, "\(split.stderr)")
        #expect(Figures(report: try Self.json(split.stdout)).connections["opened"] as? Int == 4)
    }

    @Test func connectionsAndStreamsApplyAsWithHTTP2() throws {
        let certificates = try Self.certificates()
        let server = try H3Server(certificates: certificates)
        let hit = try Self.run(["-h3", "-n", "200", "-c", "8", "--connections", "2", "--streams", "4",
                                "--cacert", certificates.caCertificate, "-q", "-o", "json", server.url + "/delay/5"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let figures = Figures(report: try Self.json(hit.stdout))
        #expect(figures.versions == ["HTTP/3": 200])
        #expect(figures.connections["opened"] as? Int == 2)
        let arrivals = try server.arrivals()
        #expect(arrivals.count == 200)
        #expect(Set(arrivals.map(\.client)).count == 2, "the server saw \(Set(arrivals.map(\.client)))")
    }

    /// `-rps` over HTTP/3: the server's arrivals keep the schedule, and corrected latency is kept.
    @Test func aPacedRunKeepsItsScheduleAtTheServer() throws {
        let certificates = try Self.certificates()
        let server = try H3Server(certificates: certificates)
        // The Python server's first QUIC handshake is its slowest by far (100-200 ms on a busy
        // machine, against a few ms later), and the requests due meanwhile wait for it: one request
        // first, so that the schedule is held against the paced run's own connections.
        let warmUp = try Self.run(["--http3-only", "-n", "1", "--cacert", certificates.caCertificate, "-q", server.url + "/warm-up"])
        #expect(warmUp.exitStatus == 0, "\(warmUp.stderr)")
        // HTTP/3 only, as above: a fallback to TCP is not what this test is about.
        let hit = try Self.run(["--http3-only", "-rps", "100", "-n", "200", "-c", "10", "--cacert", certificates.caCertificate,
                                "-q", "-o", "json", server.url + "/"])
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        let report = try Self.json(hit.stdout)
        #expect(Figures(report: report).versions == ["HTTP/3": 200])
        #expect((report["correctedLatency"] as? [String: Any])?["count"] as? Int == 200)
        #expect(report["pacing"] as? [String: Any] != nil)
        // Request i is due at i / 100 s: hold the server's arrival times against that, from the
        // first (which paid for the QUIC handshake, so the offsets are taken from the median).
        let times = try server.arrivals().filter { $0.path != "/warm-up" }.map(\.time)
        try #require(times.count == 200)
        let offsets = times.enumerated().map { $0.element - times[0] - Double($0.offset) / 100 }
        let median = offsets.sorted()[100]
        let off = offsets.map { abs($0 - median) }.sorted()
        // The arrival times are stamped by a Python server on a machine shared with others: a stall
        // of its own delays a run of arrivals. scripts/bench pacing measures the precision.
        #expect(off[100] < 0.005, "half the arrivals within 5 ms of the schedule; the 50th is \(off[100] * 1000) ms off")
        #expect(off[180] < 0.040, "90% of arrivals within 40 ms of the schedule; the 90th is \(off[180] * 1000) ms off")
        // The last is due 1.99 s after the first: the run neither bunched nor stretched.
        let span = times.last! - (times[0] + median)
        #expect(abs(span - 1.99) < 0.010, "the last arrived \(span) s after the schedule's origin")
    }

    /// Two shards over HTTP/3 and `hit merge` of their reports: the merged run is the server's.
    @Test func shardsOverHTTP3MergeIntoOneRun() throws {
        let certificates = try Self.certificates()
        let server = try H3Server(certificates: certificates)
        let start = String(format: "@%.3f", Date().timeIntervalSince1970 + 0.8)
        let shards = try (0..<2).map {
            try HitProcess(["--shard", "\($0)/2", "--start-at", start, "-h3", "-n", "120", "-c", "4", "-rps", "120",
                            "--cacert", certificates.caCertificate, "-q", "-o", "json", server.url + "/"], binary: Self.hit)
        }
        let directory = NSTemporaryDirectory() + "hit-h3-merge-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var files: [String] = []
        for (index, shard) in shards.enumerated() {
            try #require(shard.wait(seconds: 60) == 0, "\(shard.stderr)")
            files.append(directory + "/shard-\(index).json")
            try Data(shard.stdout.utf8).write(to: URL(fileURLWithPath: files[index]))
        }
        let merge = try Self.run(["merge", "-o", "json"] + files)
        try #require(merge.exitStatus == 0, "\(merge.stderr)")
        let merged = Figures(report: try Self.json(merge.stdout))
        #expect(merged.summary["completed"] as? Int == 120)
        #expect(merged.versions == ["HTTP/3": 120])
        #expect(merged.connections["opened"] as? Int == 2)
        let arrivals = try server.arrivals()
        #expect(arrivals.count == 120)
        #expect(Set(arrivals.map(\.client)).count == 2)
    }

    /// `--http3-only` where no QUIC answers: a port with nothing on its UDP side (refused at
    /// once), and one whose UDP socket swallows every packet (as a firewall does): every request
    /// fails with the kind `quic`, within the timeout, and the run exits 1.
    @Test func http3OnlyWhereNoQUICAnswersFailsWithAKindOfItsOwn() throws {
        let certificates = try Self.certificates()
        let server = try H3Server(tcpOnly: true, certificates: certificates)
        let refused = try Self.run(["--http3-only", "-n", "20", "-c", "4", "-t", "5", "--cacert", certificates.caCertificate,
                                    "-q", "-o", "json", server.url + "/"], seconds: 30)
        #expect(refused.exitStatus == 1, "\(refused.stderr)")
        #expect(Figures(report: try Self.json(refused.stdout)).errorKinds == ["quic": 20])
        #expect(try server.arrivals().isEmpty)

        let silent = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(silent, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let started = Date()
        let swallowed = try Self.run(["--http3-only", "-n", "8", "-c", "4", "-t", "1", "-k", "-q", "-o", "json",
                                      "https://127.0.0.1:\(port)/"], seconds: 30)
        let seconds = Date().timeIntervalSince(started)
        #expect(swallowed.exitStatus == 1, "\(swallowed.stderr)")
        #expect(Figures(report: try Self.json(swallowed.stdout)).errorKinds == ["quic": 8])
        // Two rounds of four requests, each given its second: the ones waiting for the connection
        // share its fate instead of trying in turn.
        #expect(seconds < 4, "took \(seconds) s")
    }

    /// `-h3` where no QUIC answers falls back to TCP, as curl's --http3 does, and says how many did.
    @Test func h3FallsBackToTCPAndTheReportSaysHowMany() throws {
        let certificates = try Self.certificates()
        let server = try H3Server(tcpOnly: true, certificates: certificates)
        let hit = try Self.run(["-h3", "-n", "20", "-c", "4", "--cacert", certificates.caCertificate, "-q", "--json-file",
                                NSTemporaryDirectory() + "hit-h3-fallback-\(getpid()).json", server.url + "/"])
        defer { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "hit-h3-fallback-\(getpid()).json") }
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        #expect(hit.stdout.contains("HTTP/3 was asked for, but 20 responses came in HTTP/2"), "\(hit.stdout)")
        let report = try Self.json(try String(contentsOfFile: NSTemporaryDirectory() + "hit-h3-fallback-\(getpid()).json", encoding: .utf8))
        let figures = Figures(report: report)
        #expect(figures.connections["fallbacks"] as? Int == 20)
        #expect(figures.versions == ["HTTP/2": 20])
        #expect(Set(try server.arrivals().map(\.httpVersion)) == ["2"])
    }

    /// Certificates are checked over QUIC as over TCP; `-k`, `--cacert`, `--resolve` and
    /// `--connect-to` apply.
    @Test func tlsAndNameOptionsApply() throws {
        let certificates = try Self.certificates()
        let server = try H3Server(certificates: certificates)
        let untrusted = try Self.run(["-h3", "-n", "4", "-c", "2", "-q", "-o", "json", server.url + "/"])
        #expect(untrusted.exitStatus == 1)
        #expect(Figures(report: try Self.json(untrusted.stdout)).errorKinds.keys.sorted() == ["tls"])
        #expect(try server.arrivals().isEmpty)

        let insecure = try Self.run(["-h3", "-n", "4", "-c", "2", "-k", "-q", "-o", "json", server.url + "/"])
        #expect(insecure.exitStatus == 0, "\(insecure.stderr)")
        #expect(Figures(report: try Self.json(insecure.stdout)).versions == ["HTTP/3": 4])

        // A name pinned to loopback, verified against the certificate's DNS name.
        let resolved = try Self.run(["-h3", "-n", "4", "-c", "2", "--cacert", certificates.caCertificate,
                                     "--resolve", "localhost:\(server.port):127.0.0.1", "-q", "-o", "json",
                                     "https://localhost:\(server.port)/"])
        #expect(resolved.exitStatus == 0, "\(resolved.stderr)")
        #expect(Figures(report: try Self.json(resolved.stdout)).versions == ["HTTP/3": 4])

        // Another name and port, sent where --connect-to says.
        let redirected = try Self.run(["-h3", "-n", "4", "-c", "2", "-k", "--connect-to", "h3.test:443:127.0.0.1:\(server.port)",
                                       "-q", "-o", "json", "https://h3.test/"])
        #expect(redirected.exitStatus == 0, "\(redirected.stderr)")
        #expect(Figures(report: try Self.json(redirected.stdout)).versions == ["HTTP/3": 4])
        #expect(try server.arrivals().count == 12)
    }

    /// The server goes away mid-run and comes back on its port: the requests in flight and those
    /// sent while it was away fail, and hit connects afresh to the new server.
    @Test func aServerThatGoesAwayCostsItsRequestsAndHitConnectsAfresh() throws {
        let certificates = try Self.certificates()
        let first = try H3Server(certificates: certificates)
        let hit = try HitProcess(["-h3", "-rps", "50", "-z", "4s", "-c", "5", "-t", "1", "--cacert", certificates.caCertificate,
                                  "-q", "-o", "json", first.url + "/"], binary: Self.hit)
        usleep(1_200_000)
        first.stop()
        usleep(800_000)
        let second = try H3Server(port: first.port, certificates: certificates)
        try #require(hit.wait(seconds: 30) != nil)
        let figures = Figures(report: try Self.json(hit.stdout))
        let succeeded = figures.summary["succeeded"] as? Int ?? 0
        let errors = figures.summary["errors"] as? Int ?? 0
        let before = try first.arrivals().count, after = try second.arrivals().count
        #expect(before >= 40, "the first server saw \(before)")
        #expect(after >= 50, "the new server saw \(after): hit connected afresh")
        #expect(succeeded == before + after || succeeded == before + after - 1, "\(succeeded) succeeded; the servers saw \(before) + \(after)")
        #expect(errors > 0 && errors < 60, "\(errors) failed")
        #expect(figures.connections["opened"] as? Int ?? 0 >= 2)
    }
}

/// A hit built on a libcurl without HTTP/3 refuses to pretend: 64 and how to get one that has it.
@Suite struct HTTP3RefusalTests {
    static let stockHasHTTP3 = ((try? HitProcess.runTool(HitProcess.binary, ["--version"])) ?? "").contains(" HTTP3")

    @Test(.enabled(if: !stockHasHTTP3, "this machine's libcurl has HTTP/3"), arguments: ["-h3", "--http3", "--http3-only"])
    func theStockBuildRefusesHTTP3(flag: String) throws {
        let hit = try HitProcess.run([flag, "-n", "1", "https://127.0.0.1:1/"])
        #expect(hit.exitStatus == 64)
        #expect(hit.stdout.isEmpty)
        let line = hit.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(line.contains("has no HTTP/3") && line.contains("scripts/build-http3"), "\(hit.stderr)")
    }
}
