import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP/1.1 server on a loopback address, with routes for load tests (see `Route`) and
/// counters of what it saw (`stats`). It refuses to listen anywhere but loopback.
public final class TargetServer: Sendable {
    public enum StartError: Error, CustomStringConvertible {
        case notLoopback(String)

        public var description: String {
            switch self {
            case .notLoopback(let host): "refusing to listen on \(host): only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed"
            }
        }
    }

    public let stats = TargetStats()
    /// The address it listens on, as bound.
    public let host: String
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    /// `http://HOST:PORT`, with IPv6 hosts in brackets.
    public var baseURL: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Starts listening. Port 0 picks a free port; `port` tells which.
    public init(host: String = "127.0.0.1", port: Int = 0, threads: Int = 1) throws {
        guard Self.isLoopback(host) else { throw StartError.notLoopback(host) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let stats = self.stats
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 4096)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    stats.connectionAccepted()
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(TargetHandler(stats: stats))
                    }
                }
                .bind(host: host, port: port)
                .wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        self.group = group
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = channel.localAddress?.port ?? port
    }

    /// Stops listening, closes every connection and joins the server's threads.
    public func shutdown() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Whether `host` is a loopback address: 127.0.0.0/8, ::1 or localhost.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
