import Foundation
@testable import Hit
import HitTestSupport
import Testing

/// A raw loopback server that answers every connection with `head`, then writes `line` without
/// end until the client goes away.
final class EndlessServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32

    init(head: String, line: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        listen(fd, 16)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                Thread {
                    var request = [UInt8](repeating: 0, count: 4096)
                    _ = read(client, &request, request.count)
                    _ = head.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                    let chunk = String(repeating: line, count: 256)
                    while chunk.withCString({ send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }) > 0 {}
                    close(client)
                }.start()
            }
        }.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

/// Servers that try to make hit hold without end: a bounded error of their own kind instead.
@Suite struct HostileServerTests {
    static let cases: [(String, String)] = [
        ("HTTP/1.1 200 OK\r\n", "X-Junk: 0123456789012345678901234567890123456789\r\n"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n", "X-Trailer: 0123456789012345678901234567890123456789\r\n"),
    ]

    @Test(arguments: cases)
    func endlessHeadersOrTrailersAreCutOff(head: String, line: String) throws {
        let server = try EndlessServer(head: head, line: line)
        defer { server.stop() }
        var client = ClientOptions()
        client.timeout = .seconds(20)
        let summary = try LoadTest(request: Request(url: "http://127.0.0.1:\(server.port)/"), options: Options(requests: 2), client: client).run()
        #expect(summary.errored == 2)
        let example = try #require(summary.errorCounts[.protocolError]?.example)
        #expect(example.contains("passed \(CurlEasy.headerLimit) bytes"), "\(example)")
    }
}
