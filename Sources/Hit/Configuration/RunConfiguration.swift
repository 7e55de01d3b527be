import FoundationEssentials

/// What a run was asked to do, as its report records it: the targets, the load, the request and
/// the connection options, secrets redacted. It is encoded as the JSON report's `configuration`,
/// decoded back by `hit report` and `hit merge`, and its digest tells the shards of one run apart
/// from those of another.
public struct RunConfiguration: Codable, Sendable {
    public internal(set) var targets: [Target]
    public let requests: Int?
    public let concurrency: Int
    public let rate: Double?
    public let durationUs: Int64?
    public internal(set) var headers: [String]
    public internal(set) var user: String?
    public let bodyBytes: Int?
    public let timeoutUs: Int64?
    public let connectTimeoutUs: Int64?
    public let keepAlive: Bool
    public let compression: Bool
    public let followRedirects: Bool
    public let maxRedirects: Int
    /// The HTTP version asked for: "1.1", or "2" (`-h2`); nothing else is read back.
    public let http: ClientOptions.HTTPVersion
    public let insecure: Bool
    /// The proxy the first target's requests went through, secrets redacted; null for none.
    public internal(set) var proxy: String?
    /// Who named it: `-x`, or the environment variable (`http_proxy`, `https_proxy`, `all_proxy`).
    public internal(set) var proxySource: String?
    public let noProxy: String?
    public let unixSocket: String?
    public let resolve: [String]
    public let connectTo: [String]
    /// With HTTP/2: `--connections` and `--streams`, null when not given.
    public let connectionsPerOrigin: Int?
    public let streamsPerConnection: Int?
    /// `--interface`: the local addresses connections were made from; empty for the system's choice.
    public internal(set) var sourceAddresses: [String]
    /// `--stages`, each with its start from the run's start; empty without.
    public let stages: [StageFigures]
    /// `--ramp-up`; null without.
    public let rampUpUs: Int64?
    /// `--template` or `--feed`: how the placeholders were filled; null when targets were sent as
    /// written (and in reports written before hit had templates).
    public var templating: TemplatingFigures? = nil
    /// `--expect-status`, as given; null without (and in reports written before checks).
    public var expectStatus: String? = nil
    /// `--expect-body`'s pattern; null without.
    public var expectBody: String? = nil

    public struct TemplatingFigures: Codable, Sendable {
        /// The seed, as a decimal string (a JSON number loses digits above 2^53).
        public let seed: String
        /// The feed's rows and columns, and the order rows were taken in; null without a feed.
        public let feedRows: Int?
        public let feedColumns: [String]?
        public let feedOrder: String?
    }

    public struct StageFigures: Codable, Sendable {
        public let startUs: Int64
        public let durationUs: Int64
        /// Requests per second at the stage's end; it starts from the previous stage's.
        public let targetRate: Double
    }

    /// A target as the report lists it: its name, method and URL (secrets redacted) and weight.
    public struct Target: Codable, Sendable {
        /// Null for a target without a name.
        public let name: String?
        public let method: String
        public internal(set) var url: String
        /// 1 in reports written before targets had weights.
        public let weight: Int

        public init(name: String?, method: String, url: String, weight: Int) {
            self.name = name
            self.method = method
            self.url = url
            self.weight = weight
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            method = try container.decode(String.self, forKey: .method)
            url = try container.decode(String.self, forKey: .url)
            weight = try container.decodeIfPresent(Int.self, forKey: .weight) ?? 1
        }

        /// The target as reports show it: its name, else its method and URL.
        public var label: String { name ?? "\(method) \(url)" }
    }
}

extension RunConfiguration {
    /// A digest of the whole run's plan: this configuration (secrets redacted, as reported), the
    /// shard count, the timeline's interval and the start instant. Every shard of one run computes
    /// the same; `hit merge` refuses reports whose digests differ. What may rightly differ from
    /// machine to machine stays out: the local addresses (`--interface`) and the proxy its
    /// environment names.
    public func digest(shards: Int, interval: Duration, startAt: Int64?) -> String {
        var plan = self
        plan.sourceAddresses = []
        plan.proxy = nil
        plan.proxySource = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Array((try? encoder.encode(plan)) ?? Data())
        bytes += Array("|shards=\(shards)|intervalNs=\(interval.nanoseconds)|startAt=\(startAt.map(String.init) ?? "-")".utf8)
        return "fnv1a64:" + FNV1a.hex(bytes)
    }
}

/// The synthesized `Encodable` conformances in this file call `encodeIfPresent` for optionals, which
/// leaves a key out when its value is `nil`. These overloads, more specific than the standard
/// library's, write `null` instead: the configuration keeps one shape, as the rest of the JSON
/// report does (`JSONReport.swift` has the same for its own types).
extension KeyedEncodingContainer {
    fileprivate mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }

    fileprivate mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }

    fileprivate mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }

    fileprivate mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }

    fileprivate mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        try value.map { try encode($0, forKey: key) } ?? encodeNil(forKey: key)
    }
}
