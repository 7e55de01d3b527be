import Foundation

/// Keeps secrets out of every output: Authorization and Proxy-Authorization header values,
/// passwords, and credentials inside URLs.
public enum Redaction {
    public static let marker = "[redacted]"

    /// Header names whose values are secrets.
    static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "cookie"]

    /// `Name: value` with the value replaced when the header carries a secret.
    public static func header(_ line: String) -> String {
        guard let colon = line.firstIndex(of: ":") else { return line }
        let name = line[..<colon]
        guard secretHeaders.contains(name.trimmingCharacters(in: .whitespaces).lowercased()) else { return line }
        return name + ": " + marker
    }

    /// A URL with the password of any `user:password@` part replaced.
    public static func url(_ url: String) -> String {
        RequestURL(url).redacted
    }
}
