/// The HTTP version a response came in.
public enum HTTPVersion: String, Sendable, CaseIterable, Comparable {
    case http1_0 = "HTTP/1.0", http1_1 = "HTTP/1.1", http2 = "HTTP/2", http3 = "HTTP/3"

    public static func < (a: HTTPVersion, b: HTTPVersion) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
