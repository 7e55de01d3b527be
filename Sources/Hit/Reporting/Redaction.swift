import FoundationEssentials

/// Keeps secrets out of every output: Authorization and Proxy-Authorization header values,
/// passwords, and credentials inside URLs.
public enum Redaction {
    public static let marker = "[redacted]"

    /// Header names whose values are secrets.
    static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    /// `Name: value` with the value replaced when the header carries a secret, also when the colon
    /// is missing (`Authorization Bearer TOKEN`).
    public static func header(_ line: String) -> String {
        let name = line.prefix { $0 != ":" && $0 != " " && $0 != "\t" }
        guard secretHeaders.contains(name.lowercased()), name.count < line.count else { return line }
        return name + ": " + marker
    }

    /// A URL with the password of any `user:password@` part, or a bare token, replaced.
    public static func url(_ url: String) -> String {
        RequestURL(url).redacted
    }

    /// Any text hit echoes back (a usage error, a line of a targets file): a secret header's value
    /// and the secrets of every URL-like word in it are replaced.
    public static func text(_ text: String) -> String {
        let asHeader = header(text.trimmingWhitespace())
        guard asHeader == text.trimmingWhitespace() else { return asHeader }
        return text.split(separator: " ", omittingEmptySubsequences: false).map { url(String($0)) }.joined(separator: " ")
    }

    /// `text` with each of `secrets` replaced: for messages that come from elsewhere (libcurl's
    /// error text quotes a proxy URL as it was given).
    public static func scrub(_ text: String, secrets: [String]) -> String {
        secrets.filter { $0.count >= 3 }.sorted { $0.count > $1.count }.reduce(text) {
            $0.replacing($1, with: marker)
        }
    }

    /// The secrets a load test carries: URL passwords and tokens (its targets' and its proxies',
    /// from `-x` or the environment), the basic-auth password, and the values of secret headers.
    public static func secrets(of test: LoadTest, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var secrets: [String] = []
        var proxies = Set([test.client.proxy].compactMap { $0 })
        for url in Set(test.targets.map(\.url)) {
            if let proxy = test.client.proxy(for: url, environment: environment) { proxies.insert(proxy.url) }
        }
        for url in test.targets.map(\.url) + proxies.sorted() {
            let parsed = RequestURL(url)
            let redacted = parsed.redacted
            guard redacted != url else { continue }
            // What redaction removed is the secret.
            let prefix = zip(url, redacted).prefix { $0 == $1 }.count
            let suffix = zip(url.reversed(), redacted.reversed()).prefix { $0 == $1 }.count
            let start = url.index(url.startIndex, offsetBy: prefix)
            let end = url.index(url.endIndex, offsetBy: -suffix)
            if start < end { secrets.append(String(url[start..<end])) }
        }
        for request in test.targets {
            if let password = request.credentials?.password { secrets.append(password) }
            for line in request.headers where header(line) != line {
                if let colon = line.firstIndex(of: ":") {
                    let value = line[line.index(after: colon)...].trimmingWhitespace()
                    secrets.append(value)
                    secrets += value.split(separator: " ").dropFirst().map(String.init)  // "Bearer TOKEN" → TOKEN
                }
            }
        }
        return Array(Set(secrets))
    }
}
