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
        if let separator = string.range(of: "://") {
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

    /// `scheme://authority`, as written: what connections are shared by.
    public var origin: String {
        String(string[..<(authority?.upperBound ?? string.endIndex)])
    }

    /// The URL with the password of any `user:password@` part replaced by `Redaction.marker`.
    public var redacted: String {
        guard let authority, let userInfo else { return string }
        let user = userInfo.split(separator: ":", maxSplits: 1).first ?? ""
        return string[..<authority.lowerBound] + user + ":" + Redaction.marker + string[userInfo.endIndex...]
    }
}
