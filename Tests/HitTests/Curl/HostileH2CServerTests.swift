import Foundation
@testable import Hit
import HitTestSupport
import Testing

/// A raw loopback server that takes the h2c connection preface, answers it in HTTP/2 (SETTINGS)
/// and then breaks every request in one way; or, in `.http1`, answers the preface in HTTP/1.1.
final class HostileH2CServer: @unchecked Sendable {
    enum Mode: String, CaseIterable, Sendable {
        /// RST_STREAM (INTERNAL_ERROR) on every stream.
        case resetEveryStream
        /// GOAWAY (ENHANCE_YOUR_CALM) at the first request.
        case goAway
        /// A HEADERS frame of 20000 bytes, above the 16384 allowed.
        case oversizedFrame
        /// DATA on the request's stream, before any HEADERS.
        case dataBeforeHeaders
        /// "HTTP/1.1 400 Bad Request" to the preface, then the connection closes.
        case http1
    }

    let port: Int
    private let listener: Int32

    init(_ mode: Mode) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        listen(fd, 64)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                Thread { Self.serve(client, mode: mode); close(client) }.start()
            }
        }.start()
    }

    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32, _ payload: [UInt8] = []) -> [UInt8] {
        let n = payload.count
        return [UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff), type, flags] + word(stream) + payload
    }

    static func word(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    private static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, count - done) }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    private static func serve(_ fd: Int32, mode: Mode) {
        guard readExactly(fd, 24) != nil else { return }  // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        if mode == .http1 {
            write(fd, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        write(fd, frame(type: 4, stream: 0))  // SETTINGS, none changed
        while let header = readExactly(fd, 9) {
            let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
            let stream = UInt32(header[5]) << 24 | UInt32(header[6]) << 16 | UInt32(header[7]) << 8 | UInt32(header[8])
            guard length == 0 || readExactly(fd, length) != nil else { return }
            if header[3] == 4, header[4] & 1 == 0 { write(fd, frame(type: 4, flags: 1, stream: 0)) }  // SETTINGS ACK
            guard header[3] == 1 else { continue }  // a request's HEADERS
            switch mode {
            case .resetEveryStream: write(fd, frame(type: 3, stream: stream, word(2)))
            case .goAway: write(fd, frame(type: 7, stream: 0, word(0) + word(11)))
            case .oversizedFrame: write(fd, frame(type: 1, flags: 4, stream: stream, [UInt8](repeating: 0, count: 20_000)))
            case .dataBeforeHeaders: write(fd, frame(type: 0, flags: 1, stream: stream, Array("hello".utf8)))
            case .http1: return
            }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

/// h2c servers that speak HTTP/2 and then break the requests are named for what they did; only a
/// server whose answer to the preface is not HTTP/2 is `no-h2c`.
@Suite struct HostileH2CServerTests {
    static let expected: [(HostileH2CServer.Mode, TransferError.Kind, String)] = [
        (.resetEveryStream, .reset, "(RST_STREAM INTERNAL_ERROR)"),
        (.goAway, .reset, "the server closed the connection with GOAWAY (ENHANCE_YOUR_CALM)"),
        (.oversizedFrame, .protocolError, "the server sent a HEADERS frame of 20000 bytes, above HTTP/2's limit of 16384"),
        (.dataBeforeHeaders, .protocolError, "the server sent DATA on stream 1 before its HEADERS"),
        (.http1, .noHTTP2, "the server answered 'HTTP/1.1 400 Bad Request' and may speak HTTP/1.1 only"),
    ]

    /// Each request that breaks the connection opens the next one: a dozen connections, each
    /// watched. Whether hit sees a connection's first bytes before libcurl reads them is a race on
    /// loopback; a connection whose bytes went unseen is named by the origin's last seen one, or
    /// said to be unseen, and never taken for an HTTP/1.1 server's.
    @Test(arguments: expected)
    func eachBreakageIsNamed(mode: HostileH2CServer.Mode, kind: TransferError.Kind, words: String) throws {
        let server = try HostileH2CServer(mode)
        defer { server.stop() }
        var client = ClientOptions()
        client.httpVersion = .http2
        client.timeout = .seconds(10)
        var errors: [TransferError] = []
        let summary = try LoadTest(request: Request(url: "http://127.0.0.1:\(server.port)/"),
                                   options: Options(requests: 12, concurrency: 1), client: client)
            .run { result in if let error = result.error { errors.append(error) } }
        #expect(summary.errored == 12, "\(summary.errorCounts)")
        let named = errors.filter { $0.message.contains(words) }
        #expect(!named.isEmpty && named.allSatisfy { $0.kind == kind }, "\(errors)")
        let unseen = errors.filter { $0.message.contains("before hit could see whether they were HTTP/2") }
        #expect(named.count + unseen.count == errors.count, "\(errors)")
        if mode != .http1 {
            #expect(summary.errorCounts[.noHTTP2] == nil, "a server that spoke HTTP/2 is not no-h2c: \(errors)")
        } else {
            #expect(named.allSatisfy { $0.kind == .noHTTP2 }, "\(errors)")
        }
    }

    @Test func aResetStreamIsNamedFromLibcurlsOwnWords() {
        #expect(TransferError.streamReset("HTTP/2 stream 3 was not closed cleanly: INTERNAL_ERROR (err 2)")
            == "the server reset stream 3 (RST_STREAM INTERNAL_ERROR)")
        #expect(TransferError.streamReset("stream 3 was not closed cleanly: X") == nil)
        #expect(TransferError.streamReset("HTTP/2 stream x was not closed cleanly: X") == nil)
        #expect(TransferError.streamReset("Error in the HTTP2 framing layer") == nil)
    }
}
