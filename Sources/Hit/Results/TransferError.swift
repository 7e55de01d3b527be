/// A transfer that did not complete, grouped into the kinds a user acts on.
public struct TransferError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        case connect, timeout, dns, tls, reset, protocolError = "protocol"
        /// The server did not answer HTTP/2 with prior knowledge (h2c, `-h2` on http): it speaks
        /// HTTP/1.1 only, most likely.
        case noHTTP2 = "no-h2c"
        /// No QUIC connection (HTTP/3): no QUIC server answered on the port's UDP, or the QUIC
        /// handshake failed.
        case quic
        /// A response came, but failed a check of its status or body (`ResponseChecks`).
        case check
        case other

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public var kind: Kind
    /// libcurl's own words for it, e.g. "Failed to connect to 127.0.0.1 port 9: Connection refused".
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
