@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// The phases come from libcurl's own timers and add up to the latency, over real connections.
@Suite struct PhaseTests {
    /// Runs `requests` requests on one worker and returns every result.
    private func results(_ url: String, requests: Int, client: ClientOptions = ClientOptions()) throws -> [RequestResult] {
        var results: [RequestResult] = []
        _ = try LoadTest(request: Request(url: url), options: Options(requests: requests, concurrency: 1), client: client)
            .run { results.append($0) }
        return results
    }

    private func sum(_ phases: RequestResult.Phases) -> Duration {
        Phase.allCases.compactMap { phases[$0] }.reduce(.zero, +)
    }

    @Test func onAReusedConnectionFirstByteAndTransferAddUpToTheLatency() throws {
        try withTargetServer { server in
            let results = try results(server.baseURL + "/bytes/100000", requests: 20)
            #expect(results.count == 20)
            #expect(server.stats.connectionsAccepted == 1)
            let first = try #require(results.first)
            #expect(first.phases.dns != nil && first.phases.connect != nil && first.phases.tls == nil)
            for result in results {
                #expect(result.error == nil)
                #expect(sum(result.phases) == result.latency, "\(result.phases) vs \(result.latency)")
                #expect(result.phases.firstByte != nil && result.phases.transfer != nil)
            }
            for result in results.dropFirst() {
                #expect(result.phases.dns == nil && result.phases.connect == nil && result.phases.tls == nil)
            }
        }
    }

    @Test func onNewConnectionsEveryPhaseAddsUpToTheLatency() throws {
        var client = ClientOptions()
        client.keepAlive = false
        try withTargetServer { server in
            let results = try results(server.baseURL + "/", requests: 10, client: client)
            #expect(results.count == 10)
            #expect(server.stats.connectionsAccepted == 10)
            for result in results {
                #expect(result.phases.dns != nil && result.phases.connect != nil && result.phases.tls == nil)
                #expect(sum(result.phases) == result.latency, "\(result.phases) vs \(result.latency)")
            }
        }
    }

    @Test func overTLSTheHandshakeIsAPhaseAndTheSumHolds() throws {
        let certificates = try Certificates.shared.get()
        var configuration = TargetServer.Configuration()
        configuration.tls = .init(certificateChain: certificates.serverCertificate, privateKey: certificates.serverKey)
        for keepAlive in [true, false] {
            var client = ClientOptions()
            client.caCertificate = certificates.caCertificate
            client.keepAlive = keepAlive
            try withTargetServer(configuration) { server in
                let results = try results(server.baseURL + "/", requests: 6, client: client)
                #expect(results.count == 6)
                for (number, result) in results.enumerated() {
                    #expect(result.error == nil, "\(String(describing: result.error))")
                    #expect(sum(result.phases) == result.latency, "\(result.phases) vs \(result.latency)")
                    let newConnection = !keepAlive || number == 0
                    #expect((result.phases.tls != nil) == newConnection)
                    #expect((result.phases.connect != nil) == newConnection)
                }
            }
        }
    }

    /// Paced, libcurl may be ready to write before the request is due; the wait for the due time
    /// is hit's, and is neither in the latency nor in any phase, so the sum still holds.
    @Test func pacedRequestsAddUpToo() throws {
        try withTargetServer { server in
            var results: [RequestResult] = []
            _ = try LoadTest(request: Request(url: server.baseURL + "/"),
                             options: Options(requests: 40, concurrency: 2, rate: 400))
                .run { results.append($0) }
            #expect(results.count == 40)
            for result in results {
                #expect(sum(result.phases) == result.latency, "\(result.phases) vs \(result.latency)")
                #expect(try #require(result.correctedLatency) >= result.latency)
            }
        }
    }

    @Test func aRequestThatCouldNotConnectHasNoResponsePhases() throws {
        let port = try closedPort()
        let results = try results("http://127.0.0.1:\(port)/", requests: 1)
        let result = try #require(results.first)
        #expect(result.error?.kind == .connect)
        #expect(result.phases.firstByte == nil && result.phases.transfer == nil)
    }

    /// The phases telescope in libcurl's integer microseconds, whatever the timers say.
    @Test(arguments: [
        (10, 50, 0, 120, 400, true),     // new, plain
        (10, 50, 2000, 2100, 2500, true),  // new, TLS
        (30, 0, 0, 80, 95, false),        // reused: NAMELOOKUP is libcurl's connection look-up
        (10, 50, 0, 0, 60, true),          // connected, no response
    ] as [(Int, Int, Int, Int, Int, Bool)])
    func phasesTelescope(nameLookup: Int, connect: Int, appConnect: Int, startTransfer: Int, total: Int,
                         newConnection: Bool) {
        let phases = RequestResult.Phases(nameLookup: nameLookup, connect: connect, appConnect: appConnect,
                                          startTransfer: startTransfer, total: total, newConnection: newConnection)
        if startTransfer > 0 {
            #expect(sum(phases) == .microseconds(total))
        } else {
            #expect(phases.firstByte == nil && phases.transfer == nil)
            #expect(sum(phases) == .microseconds(connect))
        }
        #expect((phases.dns != nil) == newConnection)
        #expect((phases.tls != nil) == (appConnect > 0))
    }
}
