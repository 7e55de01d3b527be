@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// `--interface`: connections spread over several local addresses, as the server sees them.
@Suite struct SourceAddressTests {
    @Test func workersTakeTheLocalAddressesInTurn() throws {
        try withTargetServer { server in
            var client = ClientOptions()
            client.sourceAddresses = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"),
                                       options: Options(requests: 400, concurrency: 8), client: client).run()
            #expect(summary.succeeded == 400)
            // Eight workers, four addresses: two connections from each.
            #expect(server.stats.connectionsByPeerAddress == ["127.0.0.2": 2, "127.0.0.3": 2, "127.0.0.4": 2, "127.0.0.5": 2])
        }
    }

    @Test func withoutItTheSystemChooses() throws {
        try withTargetServer { server in
            let summary = try LoadTest(request: Request(url: server.baseURL + "/"), options: Options(requests: 20, concurrency: 2)).run()
            #expect(summary.succeeded == 20)
            #expect(server.stats.connectionsByPeerAddress == ["127.0.0.1": 2])
        }
    }

    @Test func moreConnectionsThanLocalPortsAreRefusedBeforeTheRun() throws {
        let range = try #require(LocalPorts.range())
        #expect(throws: Never.self) { try LocalPorts.ensure(connections: range.count, sourceAddresses: 1) }
        do {
            try LocalPorts.ensure(connections: range.count + 1, sourceAddresses: 1)
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("net.ipv4.ip_local_port_range"))
            #expect(error.description.contains("--interface"))
        }
        #expect(throws: Never.self) { try LocalPorts.ensure(connections: range.count + 1, sourceAddresses: 2) }
    }
}
