@testable import Hit
import Testing

/// Reading an h2c server's frames from the bytes waiting on the socket.
@Suite struct H2CWatchTests {
    static func frame(type: UInt8, flags: UInt8 = 0, stream: UInt32, _ payload: [UInt8] = []) -> [UInt8] {
        HostileH2CServer.frame(type: type, flags: flags, stream: stream, payload)
    }

    static let settings = frame(type: 4, stream: 0, [0, 3, 0, 0, 0, 100])

    @Test func anHTTP1AnswerIsNotHTTP2() {
        var watch = H2CWatch()
        watch.observe(Array("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n".utf8), at: 0)
        #expect(watch.answer == .other("HTTP/1.1 400 Bad Request"))
        #expect(!watch.wantsBytes)
        let error = watch.error(for: TransferError(kind: .reset, message: "Empty reply from server"))
        #expect(error?.kind == .noHTTP2 && error?.message.contains("HTTP/1.1 only (Empty reply from server)") == true)
    }

    @Test func settingsFirstIsHTTP2AndEachBreakageIsNamed() {
        let cases: [([UInt8], H2CWatch.Event)] = [
            (Self.frame(type: 3, stream: 1, [0, 0, 0, 1]), .resetStream(stream: 1, code: 1)),
            (Self.frame(type: 7, stream: 0, [0, 0, 0, 0, 0, 0, 0, 11]), .goAway(code: 11)),
            (Array(Self.frame(type: 0, stream: 1, [UInt8](repeating: 0, count: 16_385)).prefix(40)), .oversizedFrame(type: 0, length: 16_385)),
            (Self.frame(type: 0, flags: 1, stream: 3, [1]), .dataBeforeHeaders(stream: 3)),
        ]
        for (bytes, event) in cases {
            var watch = H2CWatch()
            watch.observe(Self.settings, at: 0)
            #expect(watch.answer == .http2 && watch.event == nil && watch.wantsBytes)
            // libcurl took the SETTINGS; the next bytes start at the next frame.
            watch.observe(bytes, at: Int64(Self.settings.count))
            #expect(watch.event == event)
            let error = watch.error(for: TransferError(kind: .reset, message: "Empty reply from server"))
            #expect(error?.kind != .noHTTP2 && error?.message.hasPrefix("h2c: the server") == true, "\(String(describing: error))")
        }
    }

    @Test func dataAfterItsHeadersIsNoBreakage() {
        var watch = H2CWatch()
        watch.observe(Self.settings + Self.frame(type: 1, flags: 4, stream: 1, [0x88]) + Self.frame(type: 0, stream: 1, [1, 2]), at: 0)
        #expect(watch.answer == .http2 && watch.event == nil)
    }

    @Test func bytesNotSeenFromTheStartTellNothing() {
        var watch = H2CWatch()
        watch.observe(Self.frame(type: 3, stream: 1, [0, 0, 0, 1]), at: 15)
        #expect(watch.answer == nil && !watch.wantsBytes)
        // Whether they were HTTP/2 is not known, and said so; never taken for HTTP/1.1.
        let unseen = watch.error(for: TransferError(kind: .reset, message: "x"))
        #expect(unseen?.kind == .reset && unseen?.message.contains("before hit could see whether they were HTTP/2") == true)
        #expect(H2CWatch(firstBytes: nil).error(for: TransferError(kind: .reset, message: "x"))?.kind == .reset)
        // A server that closed without a word said nothing either way.
        let silent = H2CWatch(firstBytes: [], sentNothing: true).error(for: TransferError(kind: .reset, message: "Recv failure"))
        #expect(silent == TransferError(kind: .reset, message: "h2c: the server closed the connection without sending anything (Recv failure)"))
        #expect(H2CWatch(firstBytes: []).error(for: TransferError(kind: .reset, message: "x")) == nil)
        // A frame passed unseen: the frames after it cannot be found.
        var missed = H2CWatch()
        missed.observe(Self.settings, at: 0)
        missed.observe(Self.frame(type: 3, stream: 1, [0, 0, 0, 1]), at: Int64(Self.settings.count) + 13)
        #expect(missed.answer == .http2 && missed.event == nil && !missed.wantsBytes)
    }
}
