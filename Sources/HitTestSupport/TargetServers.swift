import Foundation
import HitTarget
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A fresh target server for one test, so its counters see only that test's requests.
public func withTargetServer<T>(_ configuration: TargetServer.Configuration = .init(),
                                _ body: (TargetServer) throws -> T) throws -> T {
    let server = try TargetServer(configuration)
    defer { server.shutdown() }
    return try body(server)
}

/// A loopback port with nothing listening on it: a socket bound to it and never listening holds
/// it for the rest of the test process, so a connection is refused (RST) and no server started by
/// a test running beside this one can take the port in the meantime.
public func closedPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
        }
    }
    guard bound else {
        let code = errno
        close(descriptor)
        throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
    }
    heldPorts.withLock { $0.append(descriptor) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A loopback port free at the moment of the call, for a server started outside this process
/// (nginx) to bind. It is drawn from below Linux's ephemeral range (32768–60999), where the
/// kernel never places the local end of an outgoing connection: the thousands of connections
/// that tests running beside this one open cannot take it before the server binds it. Another
/// test drawing the same port stays possible, so a caller retries when its server cannot bind.
/// `type`: a TCP port (`SOCK_STREAM`), or a UDP one (`SOCK_DGRAM`, for a QUIC server).
public func freePort(type: __socket_type = SOCK_STREAM) throws -> Int {
    for _ in 0..<1000 {
        let port = Int.random(in: 20_000..<32_768)
        let descriptor = socket(AF_INET, Int32(type.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        close(descriptor)
        if bound { return port }
    }
    throw POSIXError(.EADDRINUSE)
}

/// The sockets that hold `closedPort()`'s ports, open until the test process exits.
private let heldPorts = Mutex<[Int32]>([])
