#if canImport(Glibc)
import Glibc
#endif

/// Each TCP connection to one server address and port needs a local port of its own on each
/// local address: the system's ephemeral range (`net.ipv4.ip_local_port_range`, 28,232 ports by
/// default) bounds the connections from one local address to one server.
enum LocalPorts {
    /// The system's ephemeral port range, from /proc; `nil` where it cannot be read.
    static func range() -> ClosedRange<Int>? {
        let fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let fields = String(decoding: bytes[..<count], as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard fields.count == 2, fields[0] > 0, fields[1] >= fields[0] else { return nil }
        return fields[0]...fields[1]
    }

    /// Throws, before anything is sent, if `connections` to one server cannot all get a local
    /// port from `sourceAddresses` local addresses, and says how to make room.
    static func ensure(connections: Int, sourceAddresses: Int) throws(SetupError) {
        guard let range = range() else { return }
        let available = range.count * sourceAddresses
        guard connections > available else { return }
        throw SetupError("-c \(connections) needs \(connections) connections to one server, but "
            + (sourceAddresses == 1 ? "one local address has" : "\(sourceAddresses) local addresses have")
            + " \(available) local ports (net.ipv4.ip_local_port_range is \(range.lowerBound)–\(range.upperBound)): "
            + "spread them over more local addresses with --interface (127.0.0.2, 127.0.0.3, … on loopback), "
            + "or widen the range (sysctl -w net.ipv4.ip_local_port_range='1024 65535')")
    }
}
