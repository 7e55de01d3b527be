/// The HTTP version a response came in.
public enum HTTPVersion: String, Sendable, CaseIterable, Comparable {
    case http1_0 = "HTTP/1.0", http1_1 = "HTTP/1.1", http2 = "HTTP/2", http3 = "HTTP/3"

    public static func < (a: HTTPVersion, b: HTTPVersion) -> Bool {
        a.ordinal < b.ordinal
    }

    private var ordinal: Int {
        switch self {
        case .http1_0: 0
        case .http1_1: 1
        case .http2: 2
        case .http3: 3
        }
    }

    /// Hashes the case, not its name (a raw-valued enum hashes its string by default): every
    /// response is counted by its version.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ordinal)
    }
}
