/// The target server's routes.
enum Route: Equatable {
    /// `/`: a small 200 ("Hello, hit\n", 11 bytes).
    case hello
    /// `/status/{code}`: a response with that status.
    case status(Int)
    /// `/delay/{ms}`: a 200 after that many milliseconds.
    case delay(milliseconds: Int)
    /// `/capacity/{slots}/{ms}`: a service of known capacity (`ServiceSlots`): `slots` requests at
    /// once, `ms` each, the rest queued; `slots × 1000 / ms` requests a second at most.
    case capacity(slots: Int, milliseconds: Int)
    /// `/tuned`: a 200 after the wait `TunedLatency` sets (a delay, and a tail for a share of requests).
    case tuned
    /// `/tune?delay=MS&tail=MS&share=F`: sets `/tuned`'s latency; 204.
    case tune(TunedLatency.Setting)
    /// `/hang`: never answers.
    case hang
    /// `/bytes/{n}`: a 200 with an n-byte body.
    case bytes(Int)
    /// `/echo`: reflects the method, URI, headers and body as JSON.
    case echo
    /// `/redirect/{n}`: a 302 to `/redirect/{n-1}`; `/redirect/0` answers like `/`.
    case redirect(Int)
    /// `/loop`: a 302 to itself, for ever.
    case loop
    /// `/reset/headers`: part of a response head, then a TCP reset.
    case resetInHeaders
    /// `/reset/body`: a head promising 100000 bytes, 1000 of them, then a TCP reset.
    case resetInBody
    /// `/close/{k}`: a 200; every k-th request on a connection, the server closes the connection
    /// right after the response, without warning (no `Connection: close`).
    case closeEvery(Int)
    /// `/slow-body/{ms}`: the head and half the body at once, the rest after that many ms.
    case slowBody(milliseconds: Int)
    /// `/bad-length`: `Content-Length: 100`, then 10 bytes, then the connection closes.
    case badLength
    /// `/chunked/{n}`: a chunked body of n chunks.
    case chunked(Int)
    case notFound

    /// The largest body `/bytes/{n}` serves, so that a typo cannot exhaust memory.
    static let maxBytes = 256 * 1024 * 1024

    /// Routes by the path of an origin-form URI (`/a/b?q`) or of an absolute-form one
    /// (`http://host/a/b`, as sent to a proxy).
    init(uri: String) {
        var path = Substring(uri)
        if let scheme = path.range(of: "://") {
            path = path[scheme.upperBound...]
            path = path[(path.firstIndex(of: "/") ?? path.endIndex)...]
        }
        let query = path.drop { $0 != "?" }.dropFirst().prefix { $0 != "#" }
        path = path.prefix { $0 != "?" && $0 != "#" }
        let parts = path.split(separator: "/")
        switch (parts.first, parts.count) {
        case (nil, _): self = .hello
        case ("hang", 1): self = .hang
        case ("echo", 1): self = .echo
        case ("tuned", 1): self = .tuned
        case ("tune", 1):
            guard let setting = TunedLatency.setting(query: query) else { self = .notFound; return }
            self = .tune(setting)
        case ("loop", 1): self = .loop
        case ("bad-length", 1): self = .badLength
        case ("reset", 2) where parts[1] == "headers": self = .resetInHeaders
        case ("reset", 2) where parts[1] == "body": self = .resetInBody
        case ("close", 2):
            guard let k = Int(parts[1]), k > 0 else { self = .notFound; return }
            self = .closeEvery(k)
        case ("slow-body", 2):
            guard let ms = Int(parts[1]), ms >= 0 else { self = .notFound; return }
            self = .slowBody(milliseconds: ms)
        case ("chunked", 2):
            guard let n = Int(parts[1]), (0...100_000).contains(n) else { self = .notFound; return }
            self = .chunked(n)
        case ("status", 2):
            guard let code = Int(parts[1]), (100...999).contains(code) else { self = .notFound; return }
            self = .status(code)
        case ("capacity", 3):
            guard let slots = Int(parts[1]), (1...10_000).contains(slots), let ms = Int(parts[2]), (1...60_000).contains(ms) else {
                self = .notFound
                return
            }
            self = .capacity(slots: slots, milliseconds: ms)
        case ("delay", 2):
            guard let ms = Int(parts[1]), ms >= 0 else { self = .notFound; return }
            self = .delay(milliseconds: ms)
        case ("bytes", 2):
            guard let n = Int(parts[1]), (0...Self.maxBytes).contains(n) else { self = .notFound; return }
            self = .bytes(n)
        case ("redirect", 2):
            guard let n = Int(parts[1]), n >= 0 else { self = .notFound; return }
            self = .redirect(n)
        default: self = .notFound
        }
    }
}
