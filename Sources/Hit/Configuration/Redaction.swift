import FoundationEssentials
import Synchronization

/// Keeps secrets out of every output (the JSON, HTML, CSV and text reports, and messages): the
/// values of headers that carry credentials (Authorization, Proxy-Authorization, Cookie, and any
/// header whose name holds `token`, `secret`, `key`, `auth` or `password`, such as X-Api-Key or
/// X-Auth-Token), passwords, credentials inside URLs, and the values of query parameters with
/// such names (`token`, `api_key`, `access_token`, `sig`). `--show-secrets` keeps them all.
public enum Redaction {
    package static let marker = "[redacted]"

    private static let keepsSecrets = Atomic<Bool>(false)

    /// Whether secrets are shown as they are (`--show-secrets`); set once, before a command's
    /// first output. The rest of redaction is the reports' own business.
    public static var showsSecrets: Bool {
        get { keepsSecrets.load(ordering: .relaxed) }
        set { keepsSecrets.store(newValue, ordering: .relaxed) }
    }

    /// Header names whose values are secrets, whole.
    static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]
    /// Parts of a header's or a query parameter's name that mark its value as a secret.
    static let secretNameParts = ["token", "secret", "key", "auth", "password", "passwd", "sig"]

    /// Whether a header called `name` carries a secret by convention.
    package static func isSecret(header name: some StringProtocol) -> Bool {
        let lowered = name.lowercased()
        return secretHeaders.contains(lowered) || secretNameParts.contains { $0 != "sig" && lowered.contains($0) }
    }

    /// Whether a query parameter called `name` carries a secret by convention.
    package static func isSecret(parameter name: some StringProtocol) -> Bool {
        let lowered = name.lowercased()
        return secretNameParts.contains { lowered.contains($0) }
    }

    /// `Name: value` with the value replaced when the header carries a secret, also when the colon
    /// is missing (`Authorization Bearer TOKEN`).
    package static func header(_ line: String) -> String {
        guard !showsSecrets else { return line }
        let name = line.prefix { $0 != ":" && $0 != " " && $0 != "\t" }
        guard isSecret(header: name), name.count < line.count else { return line }
        return name + ": " + marker
    }

    /// A header as a message quotes it: `Name: value` (the value redacted when secret) when it has
    /// a name and a colon; otherwise its leading name only, as `Cookie…`: what follows a name
    /// that is not followed by its colon may well be a secret (`Cookie=sid=S`, `Authorization;Bearer S`).
    package static func headerForMessage(_ line: String) -> String {
        let name = line.prefix { Request.tokenCharacters.contains($0) }
        let rest = line.dropFirst(name.count)
        if !name.isEmpty, rest.first == ":" { return header(line) }
        return rest.isEmpty ? String(name) : name + "…"
    }

    /// A URL with its secrets replaced: the password of any `user:password@` part, or a bare
    /// token, and the values of query parameters with secret names.
    package static func url(_ url: String) -> String {
        guard !showsSecrets else { return url }
        return redactingQuery(RequestURL(url).redacted)
    }

    /// The values of `url`'s query parameters with secret names.
    static func querySecrets(of url: String) -> [String] {
        queryParameters(of: url).filter { isSecret(parameter: $0.name) }.map { String(url[$0.value]) }
    }

    /// `url` with the value of each secret query parameter replaced.
    private static func redactingQuery(_ url: String) -> String {
        var out = url
        for parameter in queryParameters(of: url).reversed() where isSecret(parameter: parameter.name) && !parameter.value.isEmpty {
            let lower = out.index(out.startIndex, offsetBy: url.distance(from: url.startIndex, to: parameter.value.lowerBound))
            let upper = out.index(lower, offsetBy: url.distance(from: parameter.value.lowerBound, to: parameter.value.upperBound))
            out.replaceSubrange(lower..<upper, with: marker)
        }
        return out
    }

    /// Each `name=value` of the query (after the first `?`, before any `#`), with where its value lies.
    private static func queryParameters(of url: String) -> [(name: Substring, value: Range<String.Index>)] {
        guard let question = url.firstIndex(of: "?") else { return [] }
        let query = url[url.index(after: question)...].prefix { $0 != "#" }
        return query.split(separator: "&").compactMap { pair in
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            return (pair[..<equals], pair.index(after: equals)..<pair.endIndex)
        }
    }

    /// `user:password` as outputs show it: the password redacted.
    package static func credentials(user: String, password: String) -> String {
        user + ":" + (showsSecrets ? password : marker)
    }

    /// Any text hit echoes back (a usage error, a line of a targets file): a secret header's value
    /// and the secrets of every URL-like word in it are replaced.
    package static func text(_ text: String) -> String {
        guard !showsSecrets else { return text }
        let asHeader = header(text.trimmingWhitespace())
        guard asHeader == text.trimmingWhitespace() else { return asHeader }
        return text.split(separator: " ", omittingEmptySubsequences: false).map { url(String($0)) }.joined(separator: " ")
    }

    /// `text` with each of `secrets` replaced: for messages that come from elsewhere (libcurl's
    /// error text quotes a proxy URL as it was given).
    package static func scrub(_ text: String, secrets: [String]) -> String {
        secrets.filter { $0.count >= 3 }.sorted { $0.count > $1.count }.reduce(text) {
            $0.replacing($1, with: marker)
        }
    }

}
