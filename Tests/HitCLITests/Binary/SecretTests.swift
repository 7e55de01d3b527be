import Foundation
import HitTarget
import HitTestSupport
import Testing

/// Secrets never reach any output: text, JSON, CSV, error messages.
@Suite struct SecretTests {
    static let secret = "s3cr3t-\(UUID().uuidString.prefix(8))"

    @Test(arguments: ["text", "json", "csv"])
    func noOutputFormatShowsAPlantedSecret(format: String) throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let secret = Self.secret
        // The target server doubles as the proxy: it answers requests in absolute form.
        let proxy = "http://proxyuser:\(secret)@127.0.0.1:\(server.port)"
        for arguments in [
            ["-H", "Authorization: Bearer \(secret)", "-H", "Proxy-Authorization: Basic \(secret)", server.baseURL + "/"],
            ["-a", "alice:\(secret)", server.baseURL + "/status/401"],
            ["-x", proxy, "http://bob:\(secret)@hit.test/"],
        ] {
            let hit = try HitProcess.run(["-n", "2", "-o", format] + arguments)
            #expect(hit.exitStatus == 0 || hit.exitStatus == 1, "\(hit.stderr)")
            #expect(!hit.stdout.contains(secret), "stdout of \(arguments)")
            #expect(!hit.stderr.contains(secret), "stderr of \(arguments)")
        }
        #expect(server.stats.proxiedRequests == 2, "the proxy run went through the proxy")
    }

    @Test(arguments: [
        ["-H", "Authorization: Bearer SECRET\r\nX-Injected: 1"],
        ["-H", "Proxy-Authorization: SECRET\n"],
        ["-x", "ftp://user:SECRET@127.0.0.1:1"],
        ["http://user:SECRET@127.0.0.1:1/ with space"],
        // A malformed header echoes nothing after its name.
        ["-H", "Cookie=sid=SECRET"],
        ["-H", "Authorization;Bearer SECRET"],
        ["-H", "X-Api-Key SECRET\u{1B}"],
        ["-H", "X-Auth-Token: SECRET\n"],
    ])
    func errorMessagesDoNotEchoSecrets(arguments: [String]) throws {
        let planted = arguments.map { $0.replacingOccurrences(of: "SECRET", with: Self.secret) }
        let hit = try HitProcess.run(planted + (planted.count == 2 ? ["http://127.0.0.1:1/"] : []))
        #expect(hit.exitStatus == 64)
        #expect(!hit.stderr.isEmpty)
        #expect(!hit.stderr.contains(Self.secret), "\(hit.stderr)")
    }
}

/// Headers and query parameters that carry tokens by convention are redacted as Authorization is,
/// in every output; `--show-secrets` keeps them; `hit report` and `hit merge` redact again.
@Suite struct ConventionalSecretTests {
    static let secrets = ["KeyS3cr3t", "AuthTok3n", "ApiK3y", "QueryTok3n", "QueryApiK3y", "QuerySig", "FileTok3n"]

    func run(_ extra: [String], server: TargetServer, directory: String) throws -> (HitProcess, String) {
        let headers = directory + "/headers"
        try "X-Session-Token: FileTok3n\n".write(toFile: headers, atomically: true, encoding: .utf8)
        let files = ["--json-file", directory + "/run.json", "--csv-file", directory + "/run.csv", "--html", directory + "/run.html"]
        let hit = try HitProcess.run(["-n", "2", "-H", "X-Api-Key: KeyS3cr3t", "-H", "X-Auth-Token: AuthTok3n", "-H", "Api-Key: ApiK3y",
                                      "-H", "@" + headers, "-H", "Accept: text/plain"] + files + extra
                                     + [server.baseURL + "/?token=QueryTok3n&api_key=QueryApiK3y&sig=QuerySig&page=2"])
        let written = try ["run.json", "run.csv", "run.html"].map { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
        return (hit, ([hit.stdout, hit.stderr] + written).joined(separator: "\n"))
    }

    @Test func tokenHeadersAndQueryParametersAreRedactedUnlessAskedFor() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-secrets")
        let (hit, everything) = try run([], server: server, directory: directory)
        #expect(hit.exitStatus == 0, "\(hit.stderr)")
        for secret in Self.secrets { #expect(!everything.contains(secret), "\(secret) leaked") }
        #expect(everything.contains("X-Api-Key: [redacted]") && everything.contains("token=[redacted]") && everything.contains("page=2"))
        #expect(everything.contains("Accept: text/plain"), "other headers stay")

        let (shown, everythingShown) = try run(["--show-secrets"], server: server, directory: directory)
        #expect(shown.exitStatus == 0, "\(shown.stderr)")
        for secret in Self.secrets { #expect(everythingShown.contains(secret), "--show-secrets keeps \(secret)") }

        // The report made with --show-secrets carries them: read back, they are redacted again.
        let html = directory + "/again.html"
        let report = try HitProcess.run(["report", directory + "/run.json", "--html", html])
        #expect(report.exitStatus == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        for secret in Self.secrets { #expect(!page.contains(secret), "hit report kept \(secret)") }
        let kept = try HitProcess.run(["report", directory + "/run.json", "--html", html, "--show-secrets"])
        #expect(kept.exitStatus == 0)
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("KeyS3cr3t"))
    }

    /// A hand-made report that carries a password: `hit merge` and `hit report` do not pass it on.
    @Test func reportsReadBackAreRedactedAgain() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-secrets-merge")
        let shards = (0..<2).map { directory + "/s\($0).json" }
        for (index, path) in shards.enumerated() {
            let shard = try HitProcess.run(["-n", "4", "-c", "2", "-q", "--shard", "\(index)/2", "--json-file", path, server.baseURL + "/"])
            try #require(shard.exitStatus == 0, "\(shard.stderr)")
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"headers\" : [", with: "\"headers\" : [\"Authorization: Bearer HandMadePW\", ")
            text = text.replacingOccurrences(of: "\"user\" : null", with: "\"user\" : \"alice:HandMadePW\"")
            text = text.replacingOccurrences(of: server.baseURL + "/", with: "http://bob:HandMadePW@127.0.0.1:\(server.port)/?access_token=HandMadePW")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let merge = try HitProcess.run(["merge", "--unsynchronized", shards[0], shards[1], "-o", "json", "--html", directory + "/m.html"])
        #expect(merge.exitStatus == 0, "\(merge.stderr)")
        #expect(merge.stdout.contains("alice:[redacted]") && merge.stdout.contains("Authorization: [redacted]"), "\(merge.stdout)")
        #expect(!merge.stdout.contains("HandMadePW"))
        #expect(!(try String(contentsOfFile: directory + "/m.html", encoding: .utf8)).contains("HandMadePW"))
        let report = try HitProcess.run(["report", shards[0], "--html", directory + "/r.html"])
        #expect(report.exitStatus == 0, "\(report.stderr)")
        #expect(!(try String(contentsOfFile: directory + "/r.html", encoding: .utf8)).contains("HandMadePW"))
    }
}

/// Proxies from the environment are used as curl uses them, and said.
@Suite struct EnvironmentProxyTests {
    @Test func anEnvironmentProxyIsNamedInTheReportAndCanBeTurnedOff() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let dead = "http://puser:ProxySECRET@127.0.0.1:\(try closedPort())"
        let through = try HitProcess.run(["-n", "2", "{URL}/"], against: server, launcher: ["/usr/bin/env", "http_proxy=\(dead)"])
        #expect(through.exitStatus == 69, "a dead proxy: nothing connects")
        #expect(through.stdout.contains("Proxy:      http://puser:[redacted]@127.0.0.1:"), "\(through.stdout)")
        // Read as words: the report wraps its long lines at its width.
        #expect(through.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("(from http_proxy; -x '' for none)"))
        #expect(!through.stdout.contains("ProxySECRET"))
        let none = try HitProcess.run(["-n", "2", "-x", "", "{URL}/"], against: server, launcher: ["/usr/bin/env", "http_proxy=\(dead)"])
        #expect(none.exitStatus == 0, "\(none.stdout)")
        #expect(!none.stdout.contains("Proxy:"))
        let bypassed = try HitProcess.run(["-n", "2", "--noproxy", "127.0.0.1", "{URL}/"], against: server,
                                          launcher: ["/usr/bin/env", "http_proxy=\(dead)"])
        #expect(bypassed.exitStatus == 0, "\(bypassed.stdout)")
        // The environment's no_proxy, applied by libcurl by its own rules: a name, an address range.
        for list in ["127.0.0.1", "127.0.0.0/8", "hit.test, 127.0.0.0/24"] {
            let direct = try HitProcess.run(["-n", "2", "{URL}/"], against: server,
                                            launcher: ["/usr/bin/env", "http_proxy=\(dead)", "no_proxy=\(list)"])
            #expect(direct.exitStatus == 0, "no_proxy=\(list): \(direct.stdout)")
            #expect(!direct.stdout.contains("Proxy:"), "the report says no proxy, as libcurl used none: \(direct.stdout)")
        }
        // libcurl 7.88 takes no port in a no_proxy entry: such an entry bypasses nothing.
        let port = URL(string: server.baseURL)!.port!
        let notBypassed = try HitProcess.run(["-n", "2", "{URL}/"], against: server,
                                             launcher: ["/usr/bin/env", "http_proxy=\(dead)", "no_proxy=127.0.0.1:\(port)"])
        #expect(notBypassed.exitStatus == 69)
        // Following redirects, libcurl reads the environment itself, as for a plain transfer.
        let following = try HitProcess.run(["-n", "2", "-L", "{URL}/"], against: server, launcher: ["/usr/bin/env", "http_proxy=\(dead)"])
        #expect(following.exitStatus == 69, "\(following.stdout)")
        let json = try HitProcess.run(["-n", "1", "-o", "json", "{URL}/"], against: server, launcher: ["/usr/bin/env", "http_proxy=\(dead)"])
        #expect(json.stdout.contains("\"proxySource\" : \"http_proxy\""), "\(json.stdout)")
        #expect(!json.stdout.contains("ProxySECRET") && !json.stderr.contains("ProxySECRET"))
    }

    /// A proxy from the environment is checked as -x is: one that libcurl could not use is refused
    /// before anything is sent, with its password left out.
    @Test func aMalformedEnvironmentProxyIsRefused() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        for variable in ["http_proxy", "all_proxy"] {
            let hit = try HitProcess.run(["-n", "2", "{URL}/"], against: server,
                                         launcher: ["/usr/bin/env", "\(variable)=http://u:EnvPrxSECRET@127.0.0.1:3128x"])
            #expect(hit.exitStatus == 64)
            #expect(hit.stderr == "hit: bad proxy 'http://u:[redacted]@127.0.0.1:3128x' from \(variable): "
                    + "the port '3128x' is not a number from 1 to 65535 (see 'hit --help')\n")
            #expect(hit.stdout.isEmpty)
        }
        // One that the targets never use is no concern of this run.
        let unused = try HitProcess.run(["-n", "2", "{URL}/"], against: server,
                                        launcher: ["/usr/bin/env", "https_proxy=http://u:EnvPrxSECRET@127.0.0.1:3128x"])
        #expect(unused.exitStatus == 0, "\(unused.stderr)")
        #expect(server.stats.requestsSeen == 2)
    }

    @Test func proxyAuthorizationIsNeverSentToAServer() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let hit = try HitProcess.run(["-n", "1", "-H", "Proxy-Authorization: Basic c2VjcmV0", "-H", "X-Kept: 1", "{URL}/echo"], against: server)
        #expect(hit.exitStatus == 0)
        let headers = try #require(server.stats.recentRequests.last?.headers)
        #expect(!headers.contains { $0.name.lowercased() == "proxy-authorization" })
        #expect(headers.contains { $0.name == "X-Kept" })
    }
}

/// Values from a feed can be tokens: they reach the server, and no output of hit's.
@Suite struct FeedSecretTests {
    @Test func aFeedsValuesAppearInNoOutput() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory("hit-feed-secrets")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tokens = (0..<3).map { "f33dT0k3n\($0)x\(UUID().uuidString.prefix(6))" }
        try ("user,token\n" + tokens.enumerated().map { "u\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n")
            .write(toFile: directory + "/users.csv", atomically: true, encoding: .utf8)
        let targets = directory + "/targets.jsonl"
        // One target the server answers, one that fails by status, one nobody listens on, one that
        // fails its check: every kind of outcome, each with the tokens in its URL, headers and body.
        let closed = "http://127.0.0.1:\(try closedPort())"
        try [server.baseURL + "/echo", server.baseURL + "/status/500", closed + "/x"].enumerated().map { index, url in
            "{\"name\": \"t\(index)\", \"url\": \"\(url)?t={{token:url}}\", \"headers\": {\"X-Token\": \"{{token}}\"}, \"body\": \"{\\\"u\\\":\\\"{{user}}\\\",\\\"t\\\":\\\"{{token}}\\\"}\"}"
        }.joined(separator: "\n").write(toFile: targets, atomically: true, encoding: .utf8)
        let files = ["--json-file", directory + "/run.json", "--csv-file", directory + "/run.csv", "--html", directory + "/run.html"]
        for format in ["text", "json", "csv"] {
            let hit = try HitProcess.run(["-n", "30", "-c", "3", "-f", targets, "--feed", directory + "/users.csv",
                                          "--expect-body", "zzz", "-o", format] + files)
            #expect(hit.exitStatus == 1, "\(hit.stderr)")
            var outputs = [hit.stdout, hit.stderr]
            for file in ["run.json", "run.csv", "run.html"] { outputs.append(try String(contentsOfFile: directory + "/" + file, encoding: .utf8)) }
            for token in tokens {
                #expect(!outputs.contains { $0.contains(token) }, "\(format): a token was printed")
            }
            #expect(hit.stdout.contains("{{token") || format == "text",
                    "the reports name the targets by their templates")
        }
        // The tokens did reach the server, in the header and the body.
        let seen = server.stats.recentRequests.filter { $0.uri.hasPrefix("/echo") }
        #expect(!seen.isEmpty)
        #expect(seen.allSatisfy { request in tokens.contains(request.header("X-Token") ?? "") })
        #expect(seen.allSatisfy { request in tokens.contains { String(decoding: request.body, as: UTF8.self).contains($0) } })
    }
}
