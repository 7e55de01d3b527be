/// A phase of a transfer, in the order they happen. Each one starts where the one before it
/// ended, so on a new connection the five add up to the latency (libcurl's TOTAL), and on a
/// reused connection firstByte and transfer do; all are from libcurl's own timers (µs):
///
/// - dns: start of the transfer → name resolved (NAMELOOKUP). New connections only.
/// - connect: name resolved → TCP connection up (CONNECT). New connections only.
/// - tls: TCP up → TLS handshake done (APPCONNECT). New https connections only.
/// - firstByte: connection ready (the later of CONNECT and APPCONNECT) → first response byte
///   (STARTTRANSFER). It holds libcurl writing the request, the round trip and the server's
///   time. On a reused connection it starts at the start of the transfer, so it also holds
///   libcurl's connection look-up. Like the latency, it leaves out hit's own wait for a paced
///   request's due time.
/// - transfer: first response byte → last (TOTAL).
public enum Phase: String, Sendable, CaseIterable, Codable {
    case dns, connect, tls, firstByte = "first byte", transfer

    public var label: String { rawValue == "dns" ? "DNS" : rawValue == "tls" ? "TLS" : rawValue }

    /// Hashes the case, not its name (a raw-valued enum hashes its string by default): every
    /// result is counted under its phases.
    public func hash(into hasher: inout Hasher) {
        let ordinal = switch self {
        case .dns: 0
        case .connect: 1
        case .tls: 2
        case .firstByte: 3
        case .transfer: 4
        }
        hasher.combine(ordinal)
    }
}
