import CCurlShim

/// What a response must be to succeed, beyond arriving: a status among those expected, a body
/// that matches a pattern. A response that fails a check fails with the error kind `check`
/// (`TransferError.Kind.check`), counted, timed and judged as every failed request is.
///
/// Without expected statuses a response succeeds below 400, as always; with them, exactly when
/// its status is one of them (`--expect-status 404` makes a 404 a success).
public struct ResponseChecks: Sendable, Equatable {
    /// The statuses a response may have; `nil`: below 400.
    public var statuses: ExpectedStatuses?
    /// A POSIX extended regular expression (as `grep -E` reads it) that the first `bodyLimit`
    /// bytes of the body, as decoded, must match; `nil`: the body is not read.
    public var bodyPattern: String?

    /// How much of each body a body check reads; the rest is counted and discarded.
    public static let bodyLimit = 64 << 10

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badStatus(String)
        case emptyStatuses
        case badPattern(String, reason: String)

        public var description: String {
            switch self {
            case .badStatus(let part): "'\(part)' is not a status (100 to 599) or a class of them (1xx to 5xx)"
            case .emptyStatuses: "the list of statuses is empty"
            case .badPattern(let pattern, let reason): "'\(pattern)' is not a regular expression: \(reason)"
            }
        }
    }

    /// Checks from `--expect-status`'s list (`200,201,3xx`) and `--expect-body`'s pattern.
    public init(statuses: String? = nil, bodyPattern: String? = nil) throws(Problem) {
        self.statuses = try statuses.map { text throws(Problem) in try ExpectedStatuses(parsing: text) }
        if let bodyPattern { _ = try BodyPattern(bodyPattern) }
        self.bodyPattern = bodyPattern
    }

    /// Why a response with `status` and the kept start of its body fails the checks, in one line;
    /// `nil` when it passes. `body` is `nil` when no body check is asked; `kept` is followed in
    /// memory by a NUL.
    func failure(status: Int, body: BodyPattern?, kept: UnsafeRawBufferPointer) -> String? {
        if let statuses, !statuses.contains(status) {
            return "status \(status), expected \(statuses.text)"
        }
        if let body, !body.matches(terminated: kept) {
            return "the body does not match the expected pattern"
        }
        return nil
    }
}

/// The statuses `--expect-status` accepts: codes (`201`) and classes (`3xx`).
public struct ExpectedStatuses: Sendable, Equatable {
    /// The list as given, without spaces: `200,201,3xx`.
    public let text: String
    private var codes: Set<Int> = []
    /// 1 to 5 for 1xx to 5xx.
    private var classes: Set<Int> = []

    public init(parsing list: String) throws(ResponseChecks.Problem) {
        text = list.filter { !$0.isWhitespace }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            if part.count == 3, let code = Int(part), (100...599).contains(code) {
                codes.insert(code)
            } else if part.count == 3, part.lowercased().hasSuffix("xx"), let digit = Int(part.prefix(1)), (1...5).contains(digit) {
                classes.insert(digit)
            } else {
                throw part.isEmpty && text.isEmpty ? .emptyStatuses : .badStatus(String(part))
            }
        }
    }

    public func contains(_ status: Int) -> Bool {
        codes.contains(status) || classes.contains(status / 100)
    }
}

/// A compiled `--expect-body` pattern. `@unchecked Sendable`: compiled once in `init` and only
/// matched afterwards, which glibc's `regexec` allows from several threads; each transfer loop
/// still compiles its own, so that the loops never wait on one another's match.
final class BodyPattern: @unchecked Sendable {
    private let regex: OpaquePointer

    init(_ pattern: String) throws(ResponseChecks.Problem) {
        var reason = [CChar](repeating: 0, count: 256)
        guard !pattern.utf8.contains(0), let regex = hit_regex_compile(pattern, &reason, reason.count) else {
            let text = pattern.utf8.contains(0) ? "it holds a NUL" : String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .badPattern(pattern, reason: text)
        }
        self.regex = regex
    }

    deinit {
        hit_regex_free(regex)
    }

    /// Whether it matches somewhere in `bytes` (NUL bytes included).
    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        (Array(bytes) + [0]).withUnsafeBytes { matches(terminated: UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
    }

    /// The same, without a copy, for bytes followed in memory by a NUL (a worker's kept body).
    func matches(terminated bytes: UnsafeRawBufferPointer) -> Bool {
        let empty: CChar = 0
        return withUnsafePointer(to: empty) { nul in
            hit_regex_matches(regex, bytes.baseAddress?.assumingMemoryBound(to: CChar.self) ?? nul, bytes.count) != 0
        }
    }
}
