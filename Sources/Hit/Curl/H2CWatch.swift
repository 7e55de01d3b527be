/// What an h2c server sent on a connection that hit opened with prior knowledge, from its first
/// bytes as kept without taking them from libcurl (`hit_socket_gate.first_bytes`): whether they
/// began with an HTTP/2 SETTINGS frame, and the first frame with which it broke the request.
///
/// libcurl 7.88 ends such a request with the same "Empty reply from server" whether the server
/// answered the preface in HTTP/1.1 or spoke HTTP/2 and then sent a frame too large or DATA
/// before HEADERS; the bytes tell them apart. Frames are followed from the first byte for as long
/// as every frame's header was seen (the loop peeks before libcurl reads, which takes all that is
/// waiting, so the bytes waiting start at a frame); once one was missed, the watch stops.
struct H2CWatch: Equatable {
    /// What the server's first bytes were.
    enum Answer: Equatable {
        /// A SETTINGS frame: it speaks HTTP/2.
        case http2
        /// Anything else, as its first line (an HTTP/1.1 server's "HTTP/1.1 400 Bad Request").
        case other(String)
    }

    /// What the server did to the request, in frames.
    enum Event: Equatable {
        case resetStream(stream: UInt32, code: UInt32?)
        case goAway(code: UInt32?)
        case oversizedFrame(type: UInt8, length: Int)
        case dataBeforeHeaders(stream: UInt32)
    }

    private(set) var answer: Answer?
    private(set) var event: Event?
    /// Whether the server's first bytes went unseen: libcurl read them before any look.
    private(set) var missedFirstBytes = false
    /// Whether the server closed the connection without sending a byte: it said nothing about
    /// HTTP/2 either way (a server going down accepts and resets; an HTTP/1.1 server answers the
    /// preface with a 400).
    private(set) var sentNothing = false
    /// Where the next frame starts in what the server has sent; `nil` once a frame was missed.
    private var nextFrame: Int64? = 0
    private var streamsWithHeaders: Set<UInt32> = []

    /// The largest frame a peer may send before hit's SETTINGS allow more: HTTP/2's default, which
    /// libcurl keeps.
    static let maximumFrameSize = 16_384

    init() {}

    /// What `firstBytes`, the server's bytes from its first, say; nothing when they are `nil`
    /// (some went unseen).
    init(firstBytes: [UInt8]?, sentNothing: Bool = false) {
        self.sentNothing = sentNothing && firstBytes?.isEmpty == true
        if let firstBytes, !firstBytes.isEmpty {
            observe(firstBytes, at: 0)
        } else if firstBytes == nil {
            nextFrame = nil
            missedFirstBytes = true
        }
    }

    /// Whether more bytes could still tell something.
    var wantsBytes: Bool {
        if case .other = answer { return false }
        return event == nil && nextFrame != nil
    }

    /// Takes the bytes waiting on the socket, which start `offset` bytes into what the server sent.
    mutating func observe(_ bytes: [UInt8], at offset: Int64) {
        guard wantsBytes, let next = nextFrame else { return }
        if answer == nil {
            guard offset == 0 else {  // the first bytes went unseen
                nextFrame = nil
                missedFirstBytes = true
                return
            }
            // A SETTINGS frame is at most 16384 bytes long: its first byte, of the length, is 0.
            if bytes.first != 0 || (bytes.count >= 9 && !Self.isSettings(bytes)) {
                answer = .other(Self.firstLine(bytes))
                return
            }
            guard bytes.count >= 9 else { return }
            answer = .http2
        }
        var position = next - offset
        guard position >= 0 else { nextFrame = nil; return }
        while position + 9 <= Int64(bytes.count), event == nil {
            let at = Int(position)
            let length = Int(bytes[at]) << 16 | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2])
            let type = bytes[at + 3]
            let stream = Self.word(bytes, at + 5) & 0x7fff_ffff
            let payload = at + 9
            if length > Self.maximumFrameSize {
                event = .oversizedFrame(type: type, length: length)
            } else {
                switch type {
                case 0 where stream != 0 && !streamsWithHeaders.contains(stream): event = .dataBeforeHeaders(stream: stream)
                case 1: streamsWithHeaders.insert(stream)
                case 3: event = .resetStream(stream: stream, code: payload + 4 <= bytes.count ? Self.word(bytes, payload) : nil)
                case 7: event = .goAway(code: payload + 8 <= bytes.count ? Self.word(bytes, payload + 4) : nil)
                default: break
                }
            }
            position += 9 + Int64(length)
        }
        nextFrame = offset + position
    }

    /// Whether `bytes` begin with the header of a SETTINGS frame as a server's first: type 4, not
    /// an acknowledgement, on stream 0, a whole number of settings.
    static func isSettings(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 9 else { return false }
        let length = Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2])
        return bytes[3] == 4 && bytes[4] & 1 == 0 && word(bytes, 5) & 0x7fff_ffff == 0 && length % 6 == 0
            && length <= maximumFrameSize
    }

    private static func word(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    /// The bytes up to the first line's end, at most 40, printable ASCII, the rest escaped.
    static func firstLine(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes.prefix(40) {
            if byte == 13 || byte == 10 { break }
            text += (32..<127).contains(byte) && byte != 39 && byte != 92 ? String(UnicodeScalar(byte))
                : String(cFormat: "\\x%02X", Int32(byte))
        }
        return text
    }

    /// HTTP/2's name for an error code (RFC 9113, section 7).
    static func codeName(_ code: UInt32?) -> String {
        guard let code else { return "error code unseen" }
        let names = ["NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
                     "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
                     "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"]
        return code < names.count ? names[Int(code)] : "error code \(code)"
    }

    static let frameNames = ["DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY",
                             "WINDOW_UPDATE", "CONTINUATION"]

    /// The error for a request that failed with `error` on the connection this watched: what the
    /// server did, named; or `no-h2c` when it did not answer in HTTP/2. `nil` when the bytes do
    /// not say.
    func error(for error: TransferError) -> TransferError? {
        switch (answer, event) {
        case (.other(let line)?, _):
            return TransferError(kind: .noHTTP2, message: "no HTTP/2 answer to prior knowledge (h2c): the server answered '\(line)' "
                + "and may speak HTTP/1.1 only (\(error.message))")
        case (.http2?, .resetStream(let stream, let code)?):
            return TransferError(kind: .reset, message: "h2c: the server reset stream \(stream) (RST_STREAM \(Self.codeName(code))) "
                + "(\(error.message))")
        case (.http2?, .goAway(let code)?):
            return TransferError(kind: .reset, message: "h2c: the server closed the connection with GOAWAY (\(Self.codeName(code))) "
                + "(\(error.message))")
        case (.http2?, .oversizedFrame(let type, let length)?):
            let name = Int(type) < Self.frameNames.count ? Self.frameNames[Int(type)] : "type \(type)"
            return TransferError(kind: .protocolError, message: "h2c: the server sent a \(name) frame of \(length) bytes, above "
                + "HTTP/2's limit of \(Self.maximumFrameSize) (\(error.message))")
        case (.http2?, .dataBeforeHeaders(let stream)?):
            return TransferError(kind: .protocolError, message: "h2c: the server sent DATA on stream \(stream) before its HEADERS "
                + "(\(error.message))")
        case (.http2?, nil):
            // A server that spoke HTTP/2 and then went away (a restart) fails as libcurl says.
            return TransferError(kind: error.kind, message: "h2c: the server speaks HTTP/2 (its SETTINGS came), then: \(error.message)")
        case (nil, _) where sentNothing:
            return TransferError(kind: error.kind, message: "h2c: the server closed the connection without sending anything "
                + "(\(error.message))")
        case (nil, _) where missedFirstBytes:
            // The server sent something, libcurl read it first: whether it was HTTP/2 is not known.
            return TransferError(kind: error.kind, message: "h2c: \(error.message) (the server's first bytes were read "
                + "before hit could see whether they were HTTP/2)")
        case (nil, _):
            return nil
        }
    }
}
