/// What to send: the same request, every time.
public struct Request: Sendable, Equatable {
    /// An absolute `http` or `https` URL; see `Request.validatedURL(_:)`.
    public var url: String
    /// The HTTP method token.
    public var method: String
    /// Extra request header lines, each `Name: value`.
    public var headers: [String]

    public init(url: String, method: String = "GET", headers: [String] = []) {
        self.url = url
        self.method = method
        self.headers = headers
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
    public static func validate(url: String) throws(URLProblem) {
        guard !url.isEmpty else { throw .empty }
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw .invalidCharacter
        }
        guard let colon = url.firstIndex(of: ":"),
              url[url.startIndex..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }),
              url[url.startIndex..<colon].first?.isLetter == true
        else { throw .missingScheme }
        let scheme = url[url.startIndex..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { throw .unsupportedScheme(scheme) }
        let rest = url[url.index(after: colon)...]
        guard rest.hasPrefix("//") else { throw .missingHost }
        let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostAndPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        let host = hostAndPort.hasPrefix("[")
            ? hostAndPort.prefix { $0 != "]" }.dropFirst()
            : hostAndPort.prefix { $0 != ":" }
        guard !host.isEmpty else { throw .missingHost }
    }
}
