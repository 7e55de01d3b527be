import CCurlShim
import FoundationEssentials
import Synchronization

extension TransferLoop {
    /// Everything libcurl needs for a run, made before anything is sent, so that set-up errors
    /// surface first: the open-files limit for `concurrency` connections, each target made ready
    /// once, and `concurrency` workers' easy handles shared out over `loops` event loops.
    static func prepare(targets: [Request], concurrency: Int, loops: Int, client: ClientOptions,
                        meter: SendMeter? = nil, checks: ResponseChecks? = nil) throws(SetupError) -> [TransferLoop] {
        guard !targets.isEmpty else { throw SetupError("a run needs at least one target") }
        try OpenFileLimit.ensure(concurrency: concurrency)
        let environment = ProcessEnvironment.variables
        if client.httpVersion.isHTTP3 { try checkHTTP3(targets: targets, client: client, environment: environment) }
        // Checked for one server: connections to several can share local ports.
        if client.httpVersion == .http1_1, client.unixSocket == nil, Set(targets.map(\.parsedURL.origin)).count == 1 {
            try LocalPorts.ensure(connections: concurrency, sourceAddresses: max(1, client.sourceAddresses.count))
        }
        var curlTargets: [CurlTarget] = []
        for target in targets { curlTargets.append(try CurlTarget(target, client: client, environment: environment)) }
        var transferLoops: [TransferLoop] = []
        // With --connections, each loop gets a share of the connections and of the workers in
        // proportion (the pipeline makes no more loops than connections).
        let connectionShares = client.connectionsPerOrigin.map { Shares.split($0, into: loops) }
        let workerShares = connectionShares.map { Shares.split(concurrency, proportionally: $0) }
            ?? Shares.split(concurrency, into: loops)
        let sources = client.sourceAddresses
        var workerIndex = 0
        for (loop, share) in workerShares.enumerated() {
            var workers: [CurlEasy] = []
            for _ in 0..<share {
                let source = sources.isEmpty ? nil : sources[workerIndex % sources.count]
                workers.append(try CurlEasy(client: client, sourceAddress: source,
                                            keepBody: checks?.bodyPattern == nil ? 0 : ResponseChecks.bodyLimit))
                workerIndex += 1
            }
            transferLoops.append(try TransferLoop(workers: workers, targets: curlTargets, client: client,
                                                  connectionsPerOrigin: connectionShares?[loop], meter: meter, checks: checks))
        }
        // Every target is applied once here, so that a refused option is reported now.
        let probe = try CurlEasy(client: client)
        for target in curlTargets { try probe.use(target) }
        // OpenSSL's one-time set-up (some 4–8 ms) would otherwise land in the first connection's
        // TLS phase.
        if targets.contains(where: \.isHTTPS) { warmUpTLS(caCertificate: client.caCertificate) }
        return transferLoops
    }

    private static let tlsWarmedUp = Atomic<Bool>(false)

    /// Initialises the TLS library libcurl uses, once per process, before any clock starts.
    static func warmUpTLS(caCertificate: String?) {
        guard tlsWarmedUp.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        hit_tls_warm_up(caCertificate)
    }

    /// The most workers one multi handle of a loop holds (HTTP/1.1): libcurl's cost per finished
    /// transfer grows with the transfers of its handle, and one more handle costs little.
    static let workersPerMultiHandle = 100

    /// How many multi handles a loop of `workers` uses: one for HTTP/2 and HTTP/3 (`multiplexing`), whose
    /// transfers share their handle's connections; else enough for `workersPerMultiHandle` each.
    static func multiHandles(workers: Int, multiplexing: Bool) -> Int {
        multiplexing ? 1 : max(1, (workers + workersPerMultiHandle - 1) / workersPerMultiHandle)
    }

    /// Streams a connection may carry at once when the server alone sets the limit.
    static let unlimitedStreams = 1 << 20

    /// HTTP/3 needs a libcurl that has it, https targets (QUIC is always encrypted) and a network
    /// path (not a unix-domain socket); HTTP/3 alone, no proxy (libcurl tunnels only TCP).
    static func checkHTTP3(targets: [Request], client: ClientOptions, environment: [String: String]) throws(SetupError) {
        let version = ClientVersion.current
        guard version.hasHTTP3 else { throw SetupError("this libcurl (\(version.libcurl)) has no HTTP/3") }
        guard client.unixSocket == nil else { throw SetupError("HTTP/3 cannot go through a unix-domain socket: QUIC runs over UDP") }
        if let plain = targets.first(where: { !$0.isHTTPS }) {
            throw SetupError("HTTP/3 needs https: '\(Redaction.url(plain.url))' is http")
        }
        if client.httpVersion == .http3Only, let proxied = targets.first(where: { client.proxy(for: $0.url, environment: environment) != nil }) {
            throw SetupError("HTTP/3 alone cannot go through a proxy, and '\(Redaction.url(proxied.url))' has one")
        }
    }
}
