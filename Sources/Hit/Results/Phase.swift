/// A phase of a transfer, in the order they happen.
public enum Phase: String, Sendable, CaseIterable, Codable {
    case dns, connect, tls, firstByte = "first byte", transfer

    public var label: String { rawValue == "dns" ? "DNS" : rawValue == "tls" ? "TLS" : rawValue }
}
