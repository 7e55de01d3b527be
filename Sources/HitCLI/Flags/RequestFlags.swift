import ArgumentParser
import FoundationEssentials
import Hit

/// What each request carries: method, headers, body, credentials; and the targets file.
struct RequestFlags: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("targets")],
            help: ArgumentHelp("File of targets, one per line: 'URL' or 'METHOD URL', or JSON lines with name, method, url, headers, body and weight; # starts a comment.", valueName: "file"))
    var targetsFile: String?

    @Option(name: [.customShort("m"), .customLong("method"), .customShort("X"), .customLong("request")],
            help: ArgumentHelp("HTTP method (default: GET, or POST with a body); -X and --request as in curl.", valueName: "method"))
    var method: String?

    @Option(name: [.customShort("H"), .customLong("header")],
            help: ArgumentHelp("A header 'Name: value'; repeatable. 'Name:' removes a header hit would send.", valueName: "header"))
    var headers: [String] = []

    @Option(name: [.customShort("d"), .customLong("data"), .customLong("data-binary")],
            help: ArgumentHelp("Request body, sent byte for byte; @FILE reads it from a file, as curl's --data-binary.", valueName: "data"))
    var data: String?

    @Option(name: .customLong("data-raw"),
            help: ArgumentHelp("Request body taken as written, even when it starts with @, as in curl.", valueName: "data"))
    var dataRaw: String?

    @Option(name: [.customShort("D"), .customLong("data-file")],
            help: ArgumentHelp("Request body from a file, read once and shared by every request.", valueName: "path"))
    var dataFile: String?

    @Option(name: [.customShort("T"), .customLong("content-type")], help: ArgumentHelp("Content-Type header.", valueName: "type"))
    var contentType: String?

    @Option(name: [.customShort("A"), .customLong("accept")], help: ArgumentHelp("Accept header.", valueName: "type"))
    var accept: String?

    @Option(name: .customLong("user-agent"), help: ArgumentHelp("User-Agent header.", valueName: "text"))
    var userAgent: String?

    @Option(name: [.customShort("a"), .customLong("user")],
            help: ArgumentHelp("Basic authentication, 'user:password'.", valueName: "user:password"))
    var user: String?

    @Option(name: [.customLong("host", withSingleDash: true), .customLong("host")],
            help: ArgumentHelp("Host header, overriding the URL's host.", valueName: "host"))
    var host: String?

    @Flag(name: [.customLong("disable-compression", withSingleDash: true), .customLong("disable-compression")],
          help: "Do not ask for compressed responses (by default hit sends Accept-Encoding: gzip and decodes what comes back).")
    var disableCompression = false

    @Flag(name: .customLong("compressed"), help: "Ask for a compressed response and decode it: the default, accepted as curl spells it.")
    var compressed = false

    /// The request every target shares, with `url` and `method` still to be filled in per target.
    func template(reading files: inout Readable) throws(UsageError) -> Request {
        var lines: [String] = []
        for header in headers {
            // -H @FILE: headers from a file, one per line, as curl reads them (keeps secrets out of
            // the process's arguments).
            if header.hasPrefix("@") {
                lines += try files.lines(String(header.dropFirst()), flag: "-H").filter { !$0.isEmpty }
            } else {
                lines.append(header)
            }
        }
        if let host { lines.append("Host: \(host)") }
        // -T and -A are shorthands: a -H for the same header wins, and only one is sent.
        if let contentType, !Self.has("Content-Type", in: lines) { lines.append("Content-Type: \(contentType)") }
        if let accept, !Self.has("Accept", in: lines) { lines.append("Accept: \(accept)") }
        if let userAgent, !Self.has("User-Agent", in: lines) { lines.append("User-Agent: \(userAgent)") }
        if compressed && disableCompression { throw UsageError("--compressed and --disable-compression ask for opposite things: give one") }
        for line in lines {
            do {
                try Request.validate(header: line)
            } catch {
                throw UsageError("-H: \(error)")
            }
        }
        if let method, !Request.isValid(method: method) {
            throw UsageError("-m '\(method)' is not an HTTP method token")
        }
        var credentials: Request.Credentials?
        if let user {
            guard let parsed = Request.Credentials(user) else {
                throw UsageError("-a needs 'user:password'")
            }
            credentials = parsed
        }
        let body = try self.body(reading: &files)
        return Request(url: "", method: method ?? (body == nil ? "GET" : "POST"), headers: lines, body: body, credentials: credentials)
    }

    /// Whether `lines` set the header `name` (a `Name:` line that removes it counts too).
    private static func has(_ name: String, in lines: [String]) -> Bool {
        lines.contains { $0.split(separator: ":", maxSplits: 1).first?.trimmingWhitespace().lowercased() == name.lowercased() }
    }

    /// The body, byte for byte: `-d TEXT` and `--data-raw TEXT` as the bytes given, `-d @FILE` and
    /// `-D FILE` read once (`-` for standard input).
    private func body(reading files: inout Readable) throws(UsageError) -> Body? {
        guard [data, dataFile, dataRaw].compactMap({ $0 }).count <= 1 else {
            throw UsageError("give the body with one of -d, -D or --data-raw")
        }
        if let dataRaw { return Body(files.raw.bytes(of: dataRaw)) }
        if let path = dataFile { return try files.body(path, flag: "-D") }
        guard let data else { return nil }
        guard data.hasPrefix("@") else { return Body(files.raw.bytes(of: data)) }
        return try files.body(String(data.dropFirst()), flag: "-d")
    }
}
