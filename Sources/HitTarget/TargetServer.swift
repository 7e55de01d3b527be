import Dispatch
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOHTTPCompression
import NIOPosix
import NIOSSL

/// An HTTP server on a loopback address, with routes for load tests (see `Route`) and counters of
/// what it saw (`stats`). It refuses to listen anywhere but loopback (and, optionally, a unix socket).
public final class TargetServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port.
        public var port = 0
        public var threads = 1
        /// Also listen on this unix-domain socket.
        public var unixSocketPath: String?
        /// Serve HTTPS with this certificate chain and key (PEM files).
        public var tls: TLS?
        /// HTTP/2 only: with prior knowledge (h2c) on cleartext, through ALPN with TLS.
        public var http2 = false
        /// Compress responses for clients that ask for it (gzip, deflate).
        public var compression = true
        /// Record when each request's head arrived (see `ArrivalLog`); written out at shutdown.
        public var arrivalLogPath: String?

        public struct TLS: Sendable {
            public var certificateChain: String
            public var privateKey: String
            /// Require a client certificate signed by these authorities (PEM file).
            public var clientCertificateAuthority: String?

            public init(certificateChain: String, privateKey: String, clientCertificateAuthority: String? = nil) {
                self.certificateChain = certificateChain
                self.privateKey = privateKey
                self.clientCertificateAuthority = clientCertificateAuthority
            }
        }

        public init() {}
    }

    public enum StartError: Error, CustomStringConvertible {
        case notLoopback(String)

        public var description: String {
            switch self {
            case .notLoopback(let host): "refusing to listen on \(host): only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed"
            }
        }
    }

    public let stats = TargetStats()
    /// When each request arrived, if `Configuration.arrivalLogPath` is set.
    public let arrivals: ArrivalLog?
    /// The address it listens on, as bound.
    public let host: String
    public let port: Int
    public let configuration: Configuration
    private let group: MultiThreadedEventLoopGroup
    private let channels: [any Channel]

    /// `http://HOST:PORT` (or https), with IPv6 hosts in brackets.
    public var baseURL: String {
        let scheme = configuration.tls == nil ? "http" : "https"
        return host.contains(":") ? "\(scheme)://[\(host)]:\(port)" : "\(scheme)://\(host):\(port)"
    }

    public convenience init(host: String = "127.0.0.1", port: Int = 0, threads: Int = 1) throws {
        var configuration = Configuration()
        configuration.host = host
        configuration.port = port
        configuration.threads = threads
        try self.init(configuration)
    }

    /// Starts listening.
    public init(_ configuration: Configuration) throws {
        guard Self.isLoopback(configuration.host) else { throw StartError.notLoopback(configuration.host) }
        self.configuration = configuration
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        let stats = self.stats
        let arrivals = configuration.arrivalLogPath.map(ArrivalLog.init(path:))
        self.arrivals = arrivals
        do {
            let sslContext = try configuration.tls.map(Self.sslContext)
            let bootstrap = ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 4096)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    stats.connectionAccepted(from: channel.remoteAddress?.ipAddress)
                    return Self.initialize(channel, configuration: configuration, sslContext: sslContext, stats: stats,
                                           arrivals: arrivals)
                }
            var channels = [try bootstrap.bind(host: configuration.host, port: configuration.port).wait()]
            if let path = configuration.unixSocketPath {
                channels.append(try bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).wait())
            }
            self.channels = channels
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        self.group = group
        self.host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        self.port = channels[0].localAddress?.port ?? configuration.port
    }

    /// Holds every request that arrives from now until `duration` has passed, then answers it:
    /// a server that stalls once, as under a garbage-collection pause.
    public func stall(for duration: Duration) {
        let nanoseconds = UInt64(duration.components.seconds) * 1_000_000_000 + UInt64(duration.components.attoseconds / 1_000_000_000)
        stats.stalledUntil.store(DispatchTime.now().uptimeNanoseconds + nanoseconds, ordering: .releasing)
    }

    /// Stops listening, closes every connection and joins the server's threads, then writes out
    /// the arrival log, if any.
    public func shutdown() {
        for channel in channels { try? channel.close().wait() }
        try? group.syncShutdownGracefully()
        try? arrivals?.flush()
    }

    /// Whether `host` is a loopback address: 127.0.0.0/8, ::1 or localhost.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    // MARK: - Pipelines

    private static func sslContext(_ tls: Configuration.TLS) throws -> NIOSSLContext {
        var tlsConfiguration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificateChain).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.privateKey, format: .pem))
        )
        if let authority = tls.clientCertificateAuthority {
            tlsConfiguration.trustRoots = .file(authority)
            tlsConfiguration.certificateVerification = .noHostnameVerification
        }
        tlsConfiguration.applicationProtocols = ["h2", "http/1.1"]
        return try NIOSSLContext(configuration: tlsConfiguration)
    }

    private static func initialize(_ channel: any Channel, configuration: Configuration, sslContext: NIOSSLContext?,
                                   stats: TargetStats, arrivals: ArrivalLog?) -> EventLoopFuture<Void> {
        let connection = TargetHandler.Connection(
            tls: sslContext != nil,
            clientCertificate: configuration.tls?.clientCertificateAuthority != nil,
            arrivals: arrivals
        )
        do {
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(WireByteCounter(stats: stats, readStamp: connection.readStamp))
            if let sslContext { try sync.addHandler(NIOSSLServerHandler(context: sslContext)) }
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        guard configuration.http2 else {
            return channel.eventLoop.makeCompletedFuture {
                try http1(channel, compression: configuration.compression, connection: connection, stats: stats)
            }
        }
        return channel.configureHTTP2Pipeline(mode: .server) { stream in
            stream.eventLoop.makeCompletedFuture {
                let sync = stream.pipeline.syncOperations
                try sync.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                if configuration.compression { try sync.addHandler(HTTPResponseCompressor()) }
                try sync.addHandler(TargetHandler(stats: stats, connection: connection))
            }
        }.map { _ in }
    }

    private static func http1(_ channel: any Channel, compression: Bool, connection: TargetHandler.Connection,
                              stats: TargetStats) throws {
        let sync = channel.pipeline.syncOperations
        try sync.configureHTTPServerPipeline(withErrorHandling: true)
        if compression { try sync.addHandler(HTTPResponseCompressor()) }
        try sync.addHandler(TargetHandler(stats: stats, connection: connection))
    }
}
