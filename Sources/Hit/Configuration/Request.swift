/// One request to send: a target of the run. A run sends its targets in turn, each as often as
/// its `weight` asks (see `TargetMix`).
public struct Request: Sendable, Equatable {
    /// An absolute `http` or `https` URL; see `Request.validate(url:)`.
    public var url: String
    /// The HTTP method token. HEAD never waits for a body.
    public var method: String
    /// Header lines, each `Name: value` (see `Request.validate(header:)`). `Name:` with no value
    /// removes a header libcurl would add.
    public var headers: [String]
    /// The body, shared by every request that sends it.
    public var body: Body?
    /// Basic-auth credentials. Kept apart from the headers so that reports can leave them out.
    public var credentials: Credentials?
    /// What reports and rules call this target (`login`); `nil`: it goes by its method and URL.
    /// See `Request.validate(name:)`.
    public var name: String?
    /// Its share of the run's requests against the other targets' weights: with weights 3 and 1,
    /// three requests of every four go to the first. From 1.
    public var weight: Int

    public init(url: String, method: String = "GET", headers: [String] = [], body: Body? = nil, credentials: Credentials? = nil,
                name: String? = nil, weight: Int = 1) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.credentials = credentials
        self.name = name
        self.weight = weight
    }

    /// A user name and password for HTTP basic authentication.
    public struct Credentials: Sendable, Equatable {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        /// Parses `user:password` (the password may contain colons; the user may not).
        public init?(_ text: String) {
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
            user = String(text[..<colon])
            password = String(text[text.index(after: colon)...])
        }
    }
}

extension Request {
    /// Why a name cannot name a target.
    public enum NameProblem: Error, Equatable, CustomStringConvertible {
        case empty
        case badCharacter(Character)
        case tooLong
        case reserved(String)

        public var description: String {
            switch self {
            case .empty: "a target's name is empty"
            case .reserved(let name): "'\(name)' names a latency in rules, not a target"
            case .badCharacter(let character):
                "a target's name holds '\(character)': use letters, digits, '.', '_' and '-'"
            case .tooLong: "a target's name is longer than \(Request.longestName) characters"
            }
        }
    }

    /// The longest name a target may have.
    public static let longestName = 64

    /// Checks that `name` can name a target in reports and rules (`login:p99>100ms`): ASCII
    /// letters, digits, `.`, `_` and `-`, at most `longestName` of them, and neither `corrected`
    /// nor `uncorrected`.
    public static func validate(name: String) throws(NameProblem) {
        guard !name.isEmpty else { throw .empty }
        guard name.count <= longestName else { throw .tooLong }
        // A rule's `corrected:` and `uncorrected:` prefixes: a target so named could not be told apart.
        guard name != "corrected", name != "uncorrected" else { throw .reserved(name) }
        if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0))) }) {
            throw .badCharacter(bad)
        }
    }

    /// The URL, taken apart.
    public var parsedURL: RequestURL { RequestURL(url) }

    /// Whether the URL's scheme is https.
    public var isHTTPS: Bool { parsedURL.isHTTPS }
}
