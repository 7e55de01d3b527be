import FoundationEssentials

extension LoadTest {
    /// What this run was asked to do, as its report records it: the whole run's, secrets redacted.
    public var configuration: RunConfiguration {
        let targetList = targets.map { RunConfiguration.Target(name: $0.name, method: $0.method, url: Redaction.url($0.url), weight: $0.weight) }
        let first = targets.first
        let proxy = first.flatMap { client.proxy(for: $0.url, environment: ProcessEnvironment.variables) }
        return RunConfiguration(
            targets: targetList,
            requests: options.requests,
            concurrency: options.concurrency,
            rate: options.rate,
            durationUs: options.duration?.microsecondsValue,
            headers: (first?.headers ?? []).map(Redaction.header),
            user: first?.credentials.map { Redaction.credentials(user: $0.user, password: $0.password) },
            bodyBytes: first?.body?.count,
            timeoutUs: client.timeout?.microsecondsValue,
            connectTimeoutUs: client.connectTimeout?.microsecondsValue,
            keepAlive: client.keepAlive,
            compression: client.compression,
            followRedirects: client.followRedirects,
            maxRedirects: client.maxRedirects,
            http: client.httpVersion,
            insecure: client.insecure,
            proxy: proxy.map { Redaction.url($0.url) },
            proxySource: proxy?.source,
            noProxy: client.noProxy,
            unixSocket: client.unixSocket,
            resolve: client.resolve,
            connectTo: client.connectTo,
            connectionsPerOrigin: client.connectionsPerOrigin,
            streamsPerConnection: client.streamsPerConnection,
            sourceAddresses: client.sourceAddresses,
            stages: (options.schedule?.pieces ?? []).filter(\.duration.isFinite).map { piece in
                RunConfiguration.StageFigures(startUs: Int64((piece.start * 1e6).rounded()), durationUs: Int64((piece.duration * 1e6).rounded()), targetRate: piece.to)
            },
            rampUpUs: options.rampUp?.microsecondsValue,
            templating: options.templating.map { templating in
                RunConfiguration.TemplatingFigures(seed: String(templating.seed), feedRows: templating.feed?.count,
                                                   feedColumns: templating.feed?.columns,
                                                   feedOrder: templating.feed == nil ? nil : templating.feedOrder.rawValue)
            },
            expectStatus: options.checks?.statuses?.text,
            expectBody: options.checks?.bodyPattern
        )
    }
}
