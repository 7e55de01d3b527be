import Dispatch
import Foundation
@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// HTTP/2 against real servers on loopback: nginx from Debian (h2c, and TLS with and without h2 in
/// ALPN; its default stream limit is 128) and hit-target (h2c, 100 streams). Each test checks what
/// the server saw, not only hit's own counts.
@Suite(.serialized) struct HTTP2Tests {
    static var certificates: Certificates { get throws { try Certificates.shared.get() } }

    private func run(_ url: String, requests: Int? = nil, concurrency: Int, duration: Duration? = nil,
                     configure: (inout ClientOptions) throws -> Void = { _ in }) throws -> Summary {
        var client = ClientOptions()
        client.httpVersion = .http2
        client.caCertificate = try Self.certificates.caCertificate
        client.timeout = .seconds(20)
        try configure(&client)
        let options = Options(requests: requests, concurrency: concurrency, duration: duration)
        return try LoadTest(request: Request(url: url + "/"), options: options, client: client).run()
    }

    /// Connections the server saw, and the most requests one of them carried.
    private func seen(_ log: [Nginx.LoggedRequest]) -> (connections: Int, most: Int) {
        (Set(log.map(\.connection)).count, log.map(\.requestOnConnection).max() ?? 0)
    }

    @Test(.enabled(if: Nginx.isInstalled), arguments: [false, true])
    func moreWorkersThanTheStreamLimitShareFewConnections(tls: Bool) throws {
        let nginx = try Nginx(certificates: Self.certificates)
        // 300 workers over nginx's 128 streams a connection: three connections at once. nginx ends
        // a connection after 1000 streams (GOAWAY), so 3000 requests need at least three.
        let summary = try run(tls ? nginx.tlsURL : nginx.h2cURL, requests: 3000, concurrency: 300)
        #expect(summary.succeeded == 3000, "\(summary.errorCounts)")
        #expect(summary.httpVersions == [.http2: 3000])
        let log = nginx.accessLog()
        #expect(log.count == 3000)
        #expect(log.allSatisfy { $0.protocolName == "HTTP/2.0" && $0.status == 200 })
        let (connections, most) = seen(log)
        #expect((3...8).contains(connections), "nginx saw \(connections) connections")
        #expect(summary.connectionsOpened == connections)
        #expect(summary.mostRequestsOnOneConnection == most)
        #expect(most == 1000)
    }

    @Test(.enabled(if: Nginx.isInstalled), arguments: [false, true])
    func fewWorkersMultiplexOnOneConnection(tls: Bool) throws {
        let nginx = try Nginx(maxRequestsPerConnection: 100_000, certificates: Self.certificates)
        let summary = try run(tls ? nginx.tlsURL : nginx.h2cURL, requests: 2000, concurrency: 20)
        #expect(summary.succeeded == 2000)
        let (connections, most) = seen(nginx.accessLog())
        #expect(connections == 1)
        #expect(most == 2000)
        #expect(summary.connectionsOpened == 1)
        #expect(summary.mostRequestsOnOneConnection == 2000)
    }

    @Test(.enabled(if: Nginx.isInstalled))
    func connectionsAndStreamsSplitTheWorkers() throws {
        let nginx = try Nginx(maxRequestsPerConnection: 100_000, certificates: Self.certificates)
        let summary = try run(nginx.h2cURL, requests: 4000, concurrency: 40) {
            $0.connectionsPerOrigin = 4
            $0.streamsPerConnection = 10
        }
        #expect(summary.succeeded == 4000)
        let log = nginx.accessLog()
        let (connections, _) = seen(log)
        #expect(connections == 4)
        #expect(summary.connectionsOpened == 4)
        // Four connections share the requests (libcurl fills the first with free streams first,
        // so not evenly); none carries them all.
        let perConnection = Dictionary(grouping: log, by: \.connection).values.map(\.count)
        #expect(perConnection.allSatisfy { $0 > 0 && $0 < 4000 }, "\(perConnection)")
        #expect(summary.mostRequestsOnOneConnection == perConnection.max())
    }

    @Test(.enabled(if: Nginx.isInstalled))
    func aStreamLimitBelowTheServersOpensMoreConnections() throws {
        let nginx = try Nginx(maxRequestsPerConnection: 100_000, certificates: Self.certificates)
        // 50 workers, 10 streams a connection: five connections.
        let summary = try run(nginx.tlsURL, requests: 2000, concurrency: 50) { $0.streamsPerConnection = 10 }
        #expect(summary.succeeded == 2000)
        #expect(seen(nginx.accessLog()).connections == 5)
    }

    @Test(.enabled(if: Nginx.isInstalled))
    func withoutKeepAliveEveryRequestOpensItsOwnConnection() throws {
        let nginx = try Nginx(certificates: Self.certificates)
        let summary = try run(nginx.h2cURL, requests: 200, concurrency: 20) { $0.keepAlive = false }
        #expect(summary.succeeded == 200, "\(summary.errorCounts)")
        let (connections, most) = seen(nginx.accessLog())
        #expect(connections == 200)
        #expect(most == 1)
        #expect(summary.connectionsOpened == 200)
    }

    @Test(.enabled(if: Nginx.isInstalled))
    func aTLSServerWithoutH2FallsBackToHTTP1AndSaysSo() throws {
        let nginx = try Nginx(certificates: Self.certificates)
        let summary = try run(nginx.tlsHTTP1URL, requests: 300, concurrency: 30)
        #expect(summary.succeeded == 300, "\(summary.errorCounts), \(summary.statusCounts)")
        #expect(summary.http1Responses == 300, "\(summary.httpVersions)")
        let log = nginx.accessLog()
        #expect(log.allSatisfy { $0.protocolName == "HTTP/1.1" })
        // Each worker keeps its own HTTP/1.1 connection, as without -h2.
        #expect(seen(log).connections <= 30, "\(seen(log))")
        let text = TextReport(summary, httpVersion: .http2).description
        #expect(text.contains("HTTP/2 was asked for, but 300 responses came in HTTP/1.x"))
    }

    @Test(.enabled(if: Nginx.isInstalled))
    func aRestartedServerCostsTheRequestsInFlightThenHitConnectsAfresh() throws {
        let nginx = try Nginx(maxRequestsPerConnection: 1_000_000, certificates: Self.certificates)
        let restarted = DispatchSemaphore(value: 0)
        DispatchQueue(label: "hit.test.restart").asyncAfter(deadline: .now() + .milliseconds(700)) {
            nginx.stop()
            try? nginx.start()
            nginx.clearAccessLog()
            restarted.signal()
        }
        let summary = try run(nginx.h2cURL, concurrency: 50, duration: .seconds(3))
        restarted.wait()
        // After the restart the run carried on over new connections, with no errors once the
        // server was back (before, every later request failed).
        let after = nginx.accessLog()
        #expect(after.count > 1000, "the server saw \(after.count) requests after its restart")
        #expect(after.allSatisfy { $0.status == 200 && $0.protocolName == "HTTP/2.0" })
        #expect(summary.succeeded > after.count)
        // Errors only while the server was down or going: far fewer than the requests.
        #expect(summary.errored < summary.succeeded / 2, "\(summary.errorCounts)")
        #expect(summary.errorCounts.keys.allSatisfy { [.connect, .reset].contains($0) }, "\(summary.errorCounts)")
    }

    @Test(arguments: [1, 2, 8])
    func h2cToAnHTTP1ServerFailsEveryRequestAsNoH2C(concurrency: Int) throws {
        try withTargetServer { server in
            let cancel = CancellationToken()
            // No timeout: before, a request could hang here forever.
            let guardTimer = DispatchQueue(label: "hit.test.guard")
            guardTimer.asyncAfter(deadline: .now() + 20) { cancel.cancel() }
            var client = ClientOptions()
            client.httpVersion = .http2
            client.timeout = nil
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: 40, concurrency: concurrency), client: client)
                .run(cancellation: cancel)
            cancel.cancel()
            #expect(!summary.interrupted, "the run hung")
            #expect(summary.completed == 40)
            // Each request is a connection (the server closes it). One whose 400 libcurl read before
            // hit could look is said to be unseen until a connection's bytes were seen: then the
            // origin is known, and every later one is no-h2c too.
            let noH2C = summary.errorCounts[.noHTTP2]?.count ?? 0
            #expect(noH2C >= 30 && noH2C + (summary.errorCounts[.reset]?.count ?? 0) == 40, "\(summary.errorCounts)")
            #expect(summary.errorCounts[.noHTTP2]?.example.contains("HTTP/1.1 only") == true)
            if let reset = summary.errorCounts[.reset] { #expect(reset.example.contains("before hit could see whether they were HTTP/2")) }
        }
    }

    @Test func aStallingH2CServerStillGetsEveryStreamAtOnce() throws {
        var configuration = TargetServer.Configuration()
        configuration.http2 = true
        try withTargetServer(configuration) { server in
            var client = ClientOptions()
            client.httpVersion = .http2
            client.timeout = .seconds(1)
            // Before, the followers waited for the opener's response head: one stream at a time, 10 s.
            let summary = try LoadTest(request: Request(url: server.baseURL + "/hang"),
                                       options: Options(requests: 10, concurrency: 10), client: client).run()
            #expect(server.stats.maxInFlight == 10, "streams at once: \(server.stats.maxInFlight)")
            #expect(summary.errorCounts[.timeout]?.count == 10, "\(summary.errorCounts)")
            #expect(summary.connectionsOpened == 1)
        }
    }

    @Test(arguments: [100, 101, 250])
    func hitTargetAtAnyConcurrency(concurrency: Int) throws {
        var configuration = TargetServer.Configuration()
        configuration.http2 = true
        try withTargetServer(configuration) { server in
            let summary = try run(server.baseURL, requests: 600, concurrency: concurrency)
            #expect(summary.succeeded == 600, "\(summary.errorCounts)")
            #expect(server.stats.requestsSeen == 600)
            // hit-target allows 100 streams a connection.
            let needed = (concurrency + 99) / 100
            #expect(server.stats.connectionsAccepted == needed)
            #expect(summary.connectionsOpened == needed)
        }
    }
}
