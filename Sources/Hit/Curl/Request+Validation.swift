#if canImport(Glibc)
import Glibc
#endif

extension Request {
    /// Why a URL cannot be a load-test target.
    public enum URLProblem: Error, Equatable, CustomStringConvertible {
        case empty
        case invalidCharacter
        case missingScheme
        case unsupportedScheme(String)
        case missingHost
        case badPort(String)
        case badIPv6Literal(String)
        case unencodedCredentials
        case textAfterAddress(String, String)
        case refusedByLibcurl(String)

        public var description: String {
            switch self {
            case .empty: "the URL is empty"
            case .invalidCharacter: "the URL contains a space or a control character"
            case .missingScheme: "the URL needs a scheme: http:// or https://"
            case .unsupportedScheme(let scheme): "the scheme '\(scheme)' is not supported: use http or https"
            case .missingHost: "the URL has no host"
            case .badPort(let port): "the port '\(port)' is not a number from 1 to 65535"
            case .badIPv6Literal(let host): "'\(host)' is not an IPv6 address in brackets, such as [::1]"
            case .textAfterAddress(let address, let text):
                "'\(text)' after \(address) is not a port: write \(address):PORT"
            case .refusedByLibcurl(let reason): "libcurl refuses it: \(reason)"
            case .unencodedCredentials:
                "the user name or password holds an unencoded '/', '?', '#' or '@': percent-encode it (%2F, %3F, %23, %40)"
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
        // `localhost:8080`, `example.com:80/x`: a host and a port, not a scheme.
        if !schemes.contains(scheme), !url[url.index(after: colon)...].hasPrefix("//"),
           url[url.index(after: colon)...].prefix(while: { $0 != "/" && $0 != "?" }).allSatisfy(\.isNumber),
           url[url.index(after: colon)...].first?.isNumber == true {
            throw .missingScheme
        }
        guard schemes.contains(scheme) else { throw .unsupportedScheme(scheme) }
        let parsed = RequestURL(url)
        // Before the host and port are looked at: with such credentials they hold part of the password.
        guard !parsed.hasUnencodedCredentials else { throw .unencodedCredentials }
        guard url[url.index(after: colon)...].hasPrefix("//"), !parsed.host.isEmpty else { throw .missingHost }
        let hostAndPort = parsed.hostAndPort
        if hostAndPort.hasPrefix("[") {
            var address = in6_addr()
            let literal = String(parsed.host)
            guard let close = hostAndPort.firstIndex(of: "]"), inet_pton(AF_INET6, literal.split(separator: "%").first.map(String.init) ?? literal, &address) == 1
            else { throw .badIPv6Literal(String(hostAndPort.prefix { $0 != "]" }) + (hostAndPort.contains("]") ? "]" : "")) }
            let afterAddress = hostAndPort[hostAndPort.index(after: close)...]
            guard afterAddress.isEmpty || afterAddress.hasPrefix(":") else {
                throw .textAfterAddress(String(hostAndPort[...close]), String(afterAddress))
            }
        } else if parsed.host.contains("[") || parsed.host.contains("]") {
            throw .badIPv6Literal(String(parsed.host))
        }
        if let port = parsed.port, !port.isEmpty {
            guard port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port), (1...65535).contains(number) else {
                throw .badPort(String(port))
            }
        }
        if let reason = CurlURL.refusal(of: url) { throw .refusedByLibcurl(reason) }
    }

    /// Why a header line cannot be sent.
    public enum HeaderProblem: Error, Equatable, CustomStringConvertible {
        case missingColon(String)
        case badName(String)
        case lineBreak(String)
        case controlCharacter(String)

        public var description: String {
            switch self {
            case .missingColon(let h): "the header '\(Redaction.headerForMessage(h))' needs the form 'Name: value'"
            case .badName(let h): "the header '\(Redaction.headerForMessage(h))' has no valid name before its colon"
            case .lineBreak(let h):
                "the header '\(Redaction.headerForMessage(h).debugDescription.dropFirst().dropLast())' contains a line break or NUL: refused, it could inject headers"
            case .controlCharacter(let h):
                "the header '\(Redaction.headerForMessage(h).debugDescription.dropFirst().dropLast())' contains a control character: only a tab may appear in a header"
            }
        }
    }

    /// Checks a `Name: value` header line: a token name, a colon, no CR, LF or NUL anywhere, and no
    /// other control character but a tab (RFC 9110's field values).
    public static func validate(header: String) throws(HeaderProblem) {
        guard !header.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw .lineBreak(header)
        }
        guard !header.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else {
            throw .controlCharacter(header)
        }
        guard let colon = header.firstIndex(of: ":") else { throw .missingColon(header) }
        let name = header[..<colon]
        guard !name.isEmpty, name.allSatisfy({ tokenCharacters.contains($0) }) else { throw .badName(header) }
    }

    /// Checks a method token (RFC 9110: one or more token characters).
    public static func isValid(method: String) -> Bool {
        !method.isEmpty && method.allSatisfy { tokenCharacters.contains($0) }
    }

    /// The characters of an RFC 9110 token: header names and methods.
    static let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
}
