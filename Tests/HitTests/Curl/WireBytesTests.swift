@testable import Hit
import HitTarget
import HitTestSupport
import Testing

/// Bytes on the wire, as libcurl counts them, against what the target server read and wrote.
@Suite struct WireBytesTests {
    private func run(_ url: String, requests: Int, client: ClientOptions = ClientOptions(),
                     body: String? = nil) throws -> [RequestResult] {
        var results: [RequestResult] = []
        let request = Request(url: url, method: body == nil ? "GET" : "POST", body: body.map { Body($0) })
        _ = try LoadTest(request: request, options: Options(requests: requests, concurrency: 2), client: client)
            .run { results.append($0) }
        return results
    }

    @Test func aPlainResponseCountsEveryByteTheServerWrote() throws {
        var client = ClientOptions()
        client.compression = false
        try withTargetServer { server in
            let results = try run(server.baseURL + "/bytes/5000", requests: 8, client: client)
            #expect(results.count == 8)
            #expect(results.allSatisfy { $0.bytes == 5000 && $0.wireBytesReceived > 5000 })
            #expect(results.map(\.wireBytesReceived).reduce(0, +) == server.stats.bytesWritten)
            #expect(results.map(\.wireBytesSent).reduce(0, +) == server.stats.bytesRead)
        }
    }

    /// A compressed body is counted as it came, not as decoded. The server's compressor sends it
    /// chunked, and libcurl does not count the chunk framing (a few bytes per chunk).
    @Test func aCompressedResponseCountsTheCompressedBytes() throws {
        try withTargetServer { server in
            let results = try run(server.baseURL + "/bytes/100000", requests: 4)
            #expect(results.count == 4)
            for result in results {
                #expect(result.bytes == 100_000, "decoded")
                #expect(result.wireBytesReceived > 0 && result.wireBytesReceived < 5000, "\(result.wireBytesReceived)")
            }
            let counted = results.map(\.wireBytesReceived).reduce(0, +)
            #expect(counted <= server.stats.bytesWritten)
            #expect(server.stats.bytesWritten - counted <= 4 * 64, "chunk framing only: \(server.stats.bytesWritten) vs \(counted)")
            #expect(results.map(\.wireBytesSent).reduce(0, +) == server.stats.bytesRead)
        }
    }

    @Test(arguments: [1000, 70_000])
    func aBodyIsCountedOnceWhetherItWentWithTheHeadOrAlone(size: Int) throws {
        try withTargetServer { server in
            let results = try run(server.baseURL + "/echo", requests: 3, body: String(repeating: "b", count: size))
            #expect(results.count == 3)
            #expect(results.allSatisfy { $0.bytesSent == size && $0.wireBytesSent > size })
            #expect(results.map(\.wireBytesSent).reduce(0, +) == server.stats.bytesRead)
        }
    }
}
