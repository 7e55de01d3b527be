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
    /// The URL, taken apart.
    public var parsedURL: RequestURL { RequestURL(url) }

    /// Whether the URL's scheme is https.
    var isHTTPS: Bool { parsedURL.isHTTPS }
}
