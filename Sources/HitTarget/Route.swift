/// The target server's routes.
enum Route: Equatable {
    /// `/`: a small 200 ("Hello, hit\n", 11 bytes).
    case hello
    /// `/status/{code}`: a response with that status.
    case status(Int)
    /// `/delay/{ms}`: a 200 after that many milliseconds.
    case delay(milliseconds: Int)
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
        path = path.prefix { $0 != "?" && $0 != "#" }
        let parts = path.split(separator: "/")
        switch (parts.first, parts.count) {
        case (nil, _): self = .hello
        case ("hang", 1): self = .hang
        case ("echo", 1): self = .echo
        case ("loop", 1): self = .loop
        case ("status", 2):
            guard let code = Int(parts[1]), (100...999).contains(code) else { self = .notFound; return }
            self = .status(code)
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
