/// A URL taken apart once, leniently, into the pieces hit needs: the scheme, the authority with
/// its user information, host and port, and the origin that connections are shared by.
///
/// Validation (`Request.validate(url:)`), redaction (`Redaction.url(_:)`) and the libcurl target
/// all read these same pieces. The parse never fails: a string without `://` has no authority,
/// so that even a URL that is about to be refused can be shown with its secrets left out.
public struct RequestURL: Sendable, Equatable {
    /// The URL as given.
    public let string: String
    /// Where the authority (`user:password@host:port`) lies: after the first `://`, up to the
    /// first `/`, `?` or `#`. `nil` without `://`.
    let authority: Range<String.Index>?

    public init(_ string: String) {
        self.string = string
        if let separator = string.firstRange(of: "://") {
            let rest = string[separator.upperBound...]
            authority = separator.upperBound..<(rest.firstIndex { "/?#".contains($0) } ?? string.endIndex)
        } else {
            authority = nil
        }
    }

    /// The scheme before `://`, lower-cased; `nil` without one.
    public var scheme: String? {
        authority.map { string[..<string.index($0.lowerBound, offsetBy: -3)].lowercased() }
    }

    /// Whether the scheme is https.
    public var isHTTPS: Bool { scheme == "https" }

    /// What comes before the authority's last `@`: `user:password`, `user` or a bare token.
    public var userInfo: Substring? {
        guard let authority, let at = string[authority].lastIndex(of: "@") else { return nil }
        return string[authority.lowerBound..<at]
    }

    /// The authority after any user information: `host:port`, `[::1]:8080`.
    public var hostAndPort: Substring {
        guard let authority else { return "" }
        let text = string[authority]
        return text.lastIndex(of: "@").map { text[text.index(after: $0)...] } ?? text
    }

    /// The host: a name, an IPv4 address, or an IPv6 address without its brackets.
    public var host: Substring {
        let text = hostAndPort
        return text.hasPrefix("[") ? text.prefix { $0 != "]" }.dropFirst() : text.prefix { $0 != ":" }
    }

    /// The port as written after the host (`8080`), `nil` when there is none.
    public var port: Substring? {
        let text = hostAndPort
        let afterHost: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            afterHost = text[text.index(after: close)...]
        } else {
            afterHost = text.drop { $0 != ":" }
        }
        return afterHost.hasPrefix(":") ? afterHost.dropFirst() : nil
    }

    /// The path after the authority, as written, without the query or fragment; "/" when empty.
    public var path: Substring {
        let rest = string[(authority?.upperBound ?? string.startIndex)...]
        let path = rest.prefix { $0 != "?" && $0 != "#" }
        return path.isEmpty ? "/" : path
    }

    /// `scheme://authority`, as written: what connections are shared by.
    public var origin: String {
        String(string[..<(authority?.upperBound ?? string.endIndex)])
    }

    /// The URL with its secrets replaced by `Redaction.marker`: the password of a `user:password@`
    /// part, or a bare token (`https://TOKEN@host/`) whole. A password may hold an unencoded `/`,
    /// `?` or `#` (the URL is then malformed, but must not leak): user information runs to the
    /// last `@` when a `:` comes before the first `/` and is not followed by a port.
    public var redacted: String {
        let start = authority?.lowerBound ?? string.startIndex
        guard let at = string[start...].lastIndex(of: "@") else { return string }
        let candidate = string[start..<at]
        if let authority, let userInfo, userInfo.endIndex <= authority.upperBound {
            return Self.redact(userInfo, in: string)
        }
        guard let colon = candidate.firstIndex(of: ":") else { return string }
        let slash = candidate.firstIndex { "/?#".contains($0) } ?? candidate.endIndex
        guard colon < slash else { return string }
        let afterColon = candidate[candidate.index(after: colon)..<slash]
        if !afterColon.isEmpty, slash != candidate.endIndex, afterColon.allSatisfy(\.isASCII), afterColon.allSatisfy(\.isNumber) {
            return string  // host:port/path@...: an @ in the path
        }
        return Self.redact(candidate, in: string)
    }

    /// Whether the URL holds user information with an unencoded `/`, `?`, `#` or `@` in it
    /// (`http://user:pa/ss@host/`, `http://user:pa@ss@host/`): libcurl would take part of the password
    /// for the host or port, or refuse the URL on every request.
    public var hasUnencodedCredentials: Bool {
        if let userInfo, userInfo.contains("@") { return true }
        let redacted = self.redacted
        guard redacted != string else { return false }
        guard let userInfo else { return true }
        return redacted != Self.redact(userInfo, in: string)
    }

    /// `string` with the user information `info` (a range of it) redacted.
    private static func redact(_ info: Substring, in string: String) -> String {
        guard let colon = info.firstIndex(of: ":") else {
            return string[..<info.startIndex] + Redaction.marker + string[info.endIndex...]
        }
        return string[..<info.startIndex] + info[..<colon] + ":" + Redaction.marker + string[info.endIndex...]
    }
}
