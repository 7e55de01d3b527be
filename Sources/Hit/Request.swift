/// One request to send: a target of the run. A run sends its targets round-robin.
public struct Request: Sendable, Equatable {
    /// An absolute `http` or `https` URL; see `Request.validate(url:)`.
    public var url: String
    /// The HTTP method token. HEAD never waits for a body.
    public var method: String
    /// Header lines, each `Name: value` (see `Request.validate(header:)`). `Name:` with no value
    /// removes a header libcurl would add.
    public var headers: [String]
    /// The body, shared by every request that sends it.
    public var body: Body?
    /// Basic-auth credentials. Kept apart from the headers so that reports can leave them out.
    public var credentials: Credentials?

    public init(url: String, method: String = "GET", headers: [String] = [], body: Body? = nil, credentials: Credentials? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.credentials = credentials
    }

    /// A user name and password for HTTP basic authentication.
    public struct Credentials: Sendable, Equatable {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        /// Parses `user:password` (the password may contain colons; the user may not).
        public init?(_ text: String) {
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
            user = String(text[..<colon])
            password = String(text[text.index(after: colon)...])
        }
    }
}

extension Request {
    /// Why a URL cannot be a load-test target.
    public enum URLProblem: Error, Equatable, CustomStringConvertible {
        case empty
        case invalidCharacter
        case missingScheme
        case unsupportedScheme(String)
        case missingHost

        public var description: String {
            switch self {
            case .empty: "the URL is empty"
            case .invalidCharacter: "the URL contains a space or a control character"
            case .missingScheme: "the URL needs a scheme: http:// or https://"
            case .unsupportedScheme(let scheme): "the scheme '\(scheme)' is not supported: use http or https"
            case .missingHost: "the URL has no host"
            }
        }
    }

    /// Checks that `url` is an absolute http(s) URL with a host, as the Go original does, and
    /// refuses every other scheme: libcurl would happily run ftp:// or file://, a load tester must not.
    public static func validate(url: String, schemes: Set<String> = ["http", "https"]) throws(URLProblem) {
        guard !url.isEmpty else { throw .empty }
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw .invalidCharacter
        }
        guard let colon = url.firstIndex(of: ":"),
              url[url.startIndex..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
              url[url.startIndex..<colon].first?.isLetter == true
        else { throw .missingScheme }
        let scheme = url[url.startIndex..<colon].lowercased()
        guard schemes.contains(scheme) else { throw .unsupportedScheme(scheme) }
        let rest = url[url.index(after: colon)...]
        guard rest.hasPrefix("//") else { throw .missingHost }
        let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        let host = hostAndPort.hasPrefix("[")
            ? hostAndPort.prefix { $0 != "]" }.dropFirst()
            : hostAndPort.prefix { $0 != ":" }
        guard !host.isEmpty else { throw .missingHost }
    }

    /// Whether the URL's scheme is https.
    var isHTTPS: Bool {
        url.prefix(8).lowercased() == "https://"
    }

    /// Why a header line cannot be sent.
    public enum HeaderProblem: Error, Equatable, CustomStringConvertible {
        case missingColon(String)
        case badName(String)
        case lineBreak(String)

        public var description: String {
            switch self {
            case .missingColon(let h): "the header '\(h)' needs the form 'Name: value'"
            case .badName(let h): "the header '\(Redaction.header(h))' has no valid name before its colon"
            case .lineBreak(let h):
                "the header '\(Redaction.header(h).debugDescription.dropFirst().dropLast())' contains a line break or NUL: refused, it could inject headers"
            }
        }
    }

    /// Checks a `Name: value` header line: a token name, a colon, and no CR, LF or NUL anywhere.
    public static func validate(header: String) throws(HeaderProblem) {
        guard !header.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw .lineBreak(header)
        }
        guard let colon = header.firstIndex(of: ":") else { throw .missingColon(header) }
        let name = header[..<colon]
        let token = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard !name.isEmpty, name.allSatisfy({ token.contains($0) }) else { throw .badName(header) }
    }

    /// Checks a method token (RFC 9110: one or more token characters).
    public static func isValid(method: String) -> Bool {
        let token = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return !method.isEmpty && method.allSatisfy { token.contains($0) }
    }
}
